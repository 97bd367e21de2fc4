package dev.sotto.features;

import java.util.Arrays;

/**
 * Kaldi log-mel filterbank features, streaming, computed as kaldi-native-fbank's
 * {@code OnlineFbank} computes them for sherpa-onnx's streaming transducers (icefall
 * Zipformer and friends). Fixed choices, all as in sherpa-onnx: samples are taken as
 * they come, in [-1, 1] (not scaled to 16-bit range), no dither, the Povey window, a
 * power-of-two FFT, power (not magnitude) spectrum, natural log, no energy coefficient.
 *
 * <p>Frames are placed as Kaldi does with {@code snip_edges=false}: frame f is centred on
 * sample {@code shift·f + shift/2}, so its window starts at {@code shift·f + shift/2 -
 * length/2} (negative for frame 0); samples before the start or past the end are
 * mirrored ({@code x[-1] = x[0]}, {@code x[N] = x[N-1]}). While input is open, a frame
 * is produced once its whole window has arrived; {@link #finish} adds the frames that
 * need mirroring at the end, for {@code round(N / shift)} frames in all. The result does
 * not depend on how the samples were split into calls.
 */
public final class KaldiFbank extends BufferedFrontEnd {

    /**
     * @param highFreq upper mel cut-off in Hz; zero or negative counts down from Nyquist
     */
    public record Options(int sampleRate, int bins, float frameShiftMs, float frameLengthMs, float lowFreq,
                          float highFreq, float preemphasis, boolean removeDcOffset, boolean hannWindow, boolean logMel) {

        /**
         * What sherpa-onnx uses for its streaming transducers: 16 kHz, 25 ms frames every
         * 10 ms, mel bins from 20 Hz to Nyquist - 400 Hz (as lhotse, which icefall trains
         * with), pre-emphasis 0.97, DC offset removed.
         */
        public static Options sherpaOnnx(int bins) {
            return new Options(16000, bins, 10, 25, 20, -400, 0.97f, true, false, true);
        }

        /**
         * What sherpa-onnx feeds CED audio taggers (after CED's onnx_inference_with_kaldi.py):
         * 16 kHz, 32 ms Hann frames every 10 ms, 64 mel bins from 0 to 8000 Hz, no pre-emphasis,
         * DC offset kept, mel power not log ({@code use_log_fbank=false}).
         */
        public static Options ced() {
            return new Options(16000, 64, 10, 32, 0, 8000, 0, false, true, false);
        }

        /** Samples per frame shift (Kaldi computes it in single precision). */
        int frameShift() {
            return (int) (sampleRate * 0.001f * frameShiftMs);
        }

        int frameLength() {
            return (int) (sampleRate * 0.001f * frameLengthMs);
        }

        int fftSize() {
            return Integer.highestOneBit(frameLength() - 1) << 1;
        }
    }

    private final Options options;
    private final KaldiFrameComputer computer;
    private final double[] window;
    private final int shift;
    private final int length;

    // Samples that frames not yet computed may still need: absolute indices [offset, offset + count).
    private double[] samples = new double[4096];
    private long offset;
    private int count;
    private boolean finished;

    public KaldiFbank(Options options) {
        super(options.bins());
        this.options = options;
        this.computer = new KaldiFrameComputer(options);
        this.shift = options.frameShift();
        this.length = options.frameLength();
        this.window = new double[length];
    }

    public Options options() {
        return options;
    }

    @Override
    public void accept(float[] input, int from, int n) {
        if (finished) throw new IllegalStateException("samples after finish()");
        if (count + n > samples.length) samples = Arrays.copyOf(samples, Math.max(count + n, samples.length * 2));
        for (int i = 0; i < n; i++) samples[count + i] = input[from + i];
        count += n;
        computeUpTo(completeFrames(offset + count), false);
    }

    @Override
    public void finish() {
        if (finished) return;
        finished = true;
        long total = offset + count;
        computeUpTo((int) ((total + shift / 2) / shift), false);
    }

    @Override
    public void extend(int extra) {
        if (!finished) throw new IllegalStateException("extend() before finish()");
        computeUpTo(frames.size() + extra, true);
    }

    private long firstSample(long frame) {
        return shift * frame + shift / 2 - length / 2;
    }

    /** Frames whose whole window lies within the first {@code total} samples. */
    private int completeFrames(long total) {
        long byRounding = (total + shift / 2) / shift;
        long byEnd = Math.floorDiv(total - firstSample(0) - length, shift) + 1;
        return (int) Math.max(0, Math.min(byRounding, byEnd));
    }

    private void computeUpTo(int target, boolean silenceAfterEnd) {
        for (int f = frames.size(); f < target; f++) {
            fillWindow(f, silenceAfterEnd);
            float[] out = frames.reserve();
            computer.compute(window, out, frames.reserveOffset());
            frames.commit();
        }
        discardSamplesBefore(firstSample(target));
    }

    /**
     * Copies frame f's raw samples, mirroring at the edges of the samples kept (which, as
     * in kaldi-native-fbank, are the signal's edges whenever mirroring is needed).
     */
    private void fillWindow(int frame, boolean silenceAfterEnd) {
        long start = firstSample(frame);
        for (int s = 0; s < length; s++) {
            long i = start + s - offset;
            if ((i >= count && silenceAfterEnd) || count == 0) {
                window[s] = 0;
                continue;
            }
            while (i < 0 || i >= count) i = i < 0 ? -i - 1 : 2L * count - 1 - i;
            window[s] = samples[(int) i];
        }
    }

    private void discardSamplesBefore(long sample) {
        int drop = (int) Math.min(count, sample - offset);
        if (drop <= 0) return;
        System.arraycopy(samples, drop, samples, 0, count - drop);
        offset += drop;
        count -= drop;
    }
}
