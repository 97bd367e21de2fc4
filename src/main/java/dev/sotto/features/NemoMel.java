package dev.sotto.features;

/**
 * NeMo's {@code AudioToMelSpectrogramPreprocessor} as streaming Nemotron models use it:
 * preemphasis 0.97 (first sample kept), centred frames every 160 samples with zero padding
 * (torch.stft center=True, pad_mode="constant"), a 400-sample symmetric Hann window inside
 * a 512-point FFT, power spectrum, slaney mel 0-8 kHz, {@code log(x + 2^-24)}, no dither.
 *
 * <p>Frame i is centred on sample 160 i and needs samples up to 160 i + 199; it is
 * computed as soon as they arrive, so frames streamed in pieces equal the offline frames.
 * An utterance of L samples has L / 160 + 1 frames. {@code per_feature} normalisation is
 * utterance-global and therefore offline only ({@link #normalizePerFeature}).
 */
public final class NemoMel extends BufferedFrontEnd {
    static final int HOP = 160;
    static final int WINDOW = 400;
    static final int N_FFT = 512;
    static final double PREEMPHASIS = 0.97;
    static final double LOG_GUARD = Math.pow(2, -24);

    private final MelFilterBank filters;
    private final double[] window = hann(WINDOW);
    private final Fft fft = new Fft(N_FFT);
    private final double[] frame = new double[WINDOW];
    private final double[] power = new double[N_FFT / 2 + 1];
    private final double[] mel;

    // Preemphasised samples y[base .. base + count) (absolute indices).
    private double[] samples = new double[16000];
    private long base;
    private int count;
    private float lastInput;     // x[t-1] for the preemphasis filter
    private boolean started;
    private boolean finished;
    private long nextFrame;

    public NemoMel(int dim) {
        super(dim);
        this.filters = MelFilterBank.slaney(16000, N_FFT, dim, 0, 8000);
        this.mel = new double[dim];
    }

    /** The periodic=False Hann window of torch.hann_window(400, periodic=False). */
    static double[] hann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
        }
        return w;
    }

    @Override
    public void accept(float[] x, int offset, int length) {
        if (finished) throw new IllegalStateException("accept after finish");
        ensureCapacity(count + length);
        for (int i = 0; i < length; i++) {
            float v = x[offset + i];
            samples[count++] = started ? v - PREEMPHASIS * lastInput : v;
            started = true;
            lastInput = v;
        }
        // Frame i is complete once sample 160 i + 199 is here.
        long available = base + count;
        while (HOP * nextFrame + WINDOW / 2 - 1 < available) {
            computeFrame();
        }
        compact();
    }

    @Override
    public void finish() {
        if (finished) return;
        finished = true;
        long total = base + count;
        long n = total / HOP + 1;
        while (nextFrame < n) {
            computeFrame();
        }
    }

    @Override
    public void extend(int n) {
        if (!finished) throw new IllegalStateException("extend before finish");
        for (int i = 0; i < n; i++) {
            computeFrame();
        }
    }

    private void computeFrame() {
        long first = HOP * nextFrame - WINDOW / 2;   // window start; samples outside [0, total) are zero
        for (int k = 0; k < WINDOW; k++) {
            long t = first + k;
            double y = t < base || t >= base + count ? 0 : samples[(int) (t - base)];
            frame[k] = y * window[k];
        }
        // Where the 400 samples sit inside the 512-point frame only changes the phase.
        fft.powerSpectrum(frame, WINDOW, power);
        filters.apply(power, mel);
        float[] out = frames.reserve();
        int o = frames.reserveOffset();
        for (int m = 0; m < mel.length; m++) {
            out[o + m] = (float) Math.log((float) mel[m] + LOG_GUARD);
        }
        frames.commit();
        nextFrame++;
    }

    private void ensureCapacity(int n) {
        if (n > samples.length) {
            samples = java.util.Arrays.copyOf(samples, Math.max(n, samples.length * 2));
        }
    }

    /** Drops samples no future frame needs. */
    private void compact() {
        long keepFrom = HOP * nextFrame - WINDOW / 2;
        int drop = (int) Math.min(Math.max(0, keepFrom - base), count);
        if (drop > 4096) {
            System.arraycopy(samples, drop, samples, 0, count - drop);
            base += drop;
            count -= drop;
        }
    }

    /**
     * NeMo's per_feature normalisation over a whole utterance [frames][dim]: per mel bin,
     * (x - mean) / (std + 1e-5) with the unbiased (n - 1) standard deviation.
     */
    public static void normalizePerFeature(float[][] features) {
        int n = features.length;
        if (n == 0) return;
        int dim = features[0].length;
        for (int m = 0; m < dim; m++) {
            double sum = 0;
            for (float[] f : features) sum += f[m];
            double mean = sum / n;
            double sq = 0;
            for (float[] f : features) sq += (f[m] - mean) * (f[m] - mean);
            double std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
            for (float[] f : features) f[m] = (float) ((f[m] - mean) / (std + 1e-5));
        }
    }
}
