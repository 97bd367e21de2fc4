package dev.sotto.features;

/**
 * Whisper's log-mel front end (openai/whisper {@code audio.py}): a periodic Hann window of
 * 400 samples every 160 samples, centred with reflect padding, the power spectrum, the last
 * frame dropped, Slaney mel filters (computed here as librosa computes them, so the engine
 * does not need {@code mel_filters.npz}), {@code log10} floored at 1e-10, values below
 * {@code max - 8} raised to it, and {@code (x + 4) / 4}.
 *
 * <p>Whisper decodes 30 s windows; {@link #window} computes the 3000 frames of one window
 * from samples at absolute positions, so a long stream needs only the samples of the
 * window being decoded. Output is mel-major ({@code [nMels][frames]}), the layout of the
 * encoders' {@code [batch, n_mels, frames]} input. Not thread-safe: one instance per thread.
 */
public final class WhisperMel {
    public static final int SAMPLE_RATE = 16000;
    public static final int N_FFT = 400;
    public static final int HOP = 160;
    /** Frames of one 30 s window. */
    public static final int N_FRAMES = 3000;
    /** Samples of one 30 s window. */
    public static final int N_SAMPLES = N_FRAMES * HOP;
    private static final int BINS = N_FFT / 2 + 1;

    /** Random access to a signal by absolute sample index (the caller handles the edges). */
    @FunctionalInterface
    public interface Samples {
        double at(long index);
    }

    private final int nMels;
    private final MelFilterBank filters;
    private final double[] window = new double[N_FFT];
    private final Fft fft = new Fft(N_FFT);
    private final double[] frame = new double[N_FFT];
    private final double[] power = new double[BINS];
    private final double[] mel;

    public WhisperMel(int nMels) {
        if (nMels <= 0) throw new IllegalArgumentException("n_mels must be positive: " + nMels);
        this.nMels = nMels;
        this.filters = melFilters(nMels);
        this.mel = new double[nMels];
        for (int i = 0; i < N_FFT; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / N_FFT);   // periodic
        }
    }

    public int nMels() {
        return nMels;
    }

    /**
     * The whole-signal log-mel spectrogram as openai's {@code log_mel_spectrogram(audio)}
     * computes it: {@code audio.length / 160} frames, reflect padding at both ends, one
     * maximum over everything. Returns {@code [nMels][frames]} row-major.
     */
    public float[] logMel(float[] audio) {
        int frames = audio.length / HOP;
        long n = audio.length;
        Samples reflect = i -> audio[(int) reflectIndex(i, n)];
        float[] out = new float[nMels * frames];
        logPower(reflect, 0, frames, out, frames);
        normalize(out);
        return out;
    }

    /**
     * One decoding window: frames {@code [firstFrame, firstFrame + frames)} of a signal that
     * has {@code length} samples followed by silence (Whisper pads 30 s of zeros), reflect
     * padded at its start only. Normalised over these frames. {@code out} is
     * {@code [nMels][frames]}. A stream still growing passes {@code Long.MAX_VALUE} as its
     * length (the caller makes sure the samples the window needs exist).
     */
    public void window(Samples signal, long length, long firstFrame, int frames, float[] out) {
        Samples padded = i -> {
            if (i < 0) return signal.at(-i < length ? -i : reflectIndex(i, length));
            return i < length ? signal.at(i) : 0.0;
        };
        logPower(padded, firstFrame, frames, out, frames);
        normalize(out, frames * nMels);
    }

    /** Fills {@code out[m * stride + t]} with log10 mel power of frames firstFrame + t. */
    private void logPower(Samples signal, long firstFrame, int frames, float[] out, int stride) {
        if (frames <= 0) return;
        // The samples all frames need, fetched once.
        long first = firstFrame * HOP - N_FFT / 2;
        double[] x = new double[(frames - 1) * HOP + N_FFT];
        for (int i = 0; i < x.length; i++) x[i] = signal.at(first + i);
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < N_FFT; i++) frame[i] = x[t * HOP + i] * window[i];
            fft.powerSpectrum(frame, N_FFT, power);
            filters.apply(power, mel);
            for (int m = 0; m < nMels; m++) out[m * stride + t] = (float) Math.log10(Math.max(mel[m], 1e-10));
        }
    }

    private static void normalize(float[] logSpec) {
        normalize(logSpec, logSpec.length);
    }

    private static void normalize(float[] logSpec, int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) max = Math.max(max, logSpec[i]);
        float floor = max - 8f;
        for (int i = 0; i < count; i++) {
            logSpec[i] = (Math.max(logSpec[i], floor) + 4f) / 4f;
        }
    }

    /** numpy's 'reflect' padding (the edge sample is not repeated), for indices a little outside [0, n). */
    static long reflectIndex(long i, long n) {
        if (n == 1) return 0;
        long period = 2 * (n - 1);
        long j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }

    /**
     * Whisper's filters: {@code librosa.filters.mel(sr=16000, n_fft=400, n_mels)}, the
     * matrix openai ships as {@code mel_filters.npz}.
     */
    public static MelFilterBank melFilters(int nMels) {
        return MelFilterBank.slaney(SAMPLE_RATE, N_FFT, nMels, 0, SAMPLE_RATE / 2.0);
    }
}
