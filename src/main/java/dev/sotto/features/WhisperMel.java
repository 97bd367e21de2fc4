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
    private final float[] filters;   // [nMels][BINS]
    private final int[] firstBin;    // each triangle's non-zero bins: [firstBin, endBin)
    private final int[] endBin;
    private final double[] window = new double[N_FFT];
    private final Fft fft = new Fft(N_FFT);
    private final double[] re = new double[N_FFT];
    private final double[] im = new double[N_FFT];
    private final double[] power = new double[BINS];

    public WhisperMel(int nMels) {
        if (nMels <= 0) throw new IllegalArgumentException("n_mels must be positive: " + nMels);
        this.nMels = nMels;
        this.filters = melFilters(nMels);
        this.firstBin = new int[nMels];
        this.endBin = new int[nMels];
        for (int m = 0; m < nMels; m++) {
            int k = 0;
            while (k < BINS && filters[m * BINS + k] == 0) k++;
            int end = BINS;
            while (end > k && filters[m * BINS + end - 1] == 0) end--;
            firstBin[m] = k;
            endBin[m] = end;
        }
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
            for (int i = 0; i < N_FFT; i++) {
                re[i] = x[t * HOP + i] * window[i];
                im[i] = 0;
            }
            fft.transform(re, im);
            for (int k = 0; k < BINS; k++) {
                power[k] = re[k] * re[k] + im[k] * im[k];
            }
            for (int m = 0; m < nMels; m++) {
                double sum = 0;
                int base = m * BINS;
                for (int k = firstBin[m]; k < endBin[m]; k++) {
                    sum += filters[base + k] * power[k];
                }
                out[m * stride + t] = (float) Math.log10(Math.max(sum, 1e-10));
            }
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
     * Slaney-style mel filterbank for Whisper ({@code librosa.filters.mel(sr=16000, n_fft=400,
     * n_mels)}: Slaney mel scale, triangles normalised to unit area), {@code [nMels][201]}.
     */
    public static float[] melFilters(int nMels) {
        double[] fftFreqs = new double[BINS];
        for (int k = 0; k < BINS; k++) fftFreqs[k] = (double) k * SAMPLE_RATE / N_FFT;
        double maxMel = hzToMel(SAMPLE_RATE / 2.0);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            melF[i] = melToHz(maxMel * i / (nMels + 1));
        }
        float[] weights = new float[nMels * BINS];
        for (int m = 0; m < nMels; m++) {
            double lowerWidth = melF[m + 1] - melF[m];
            double upperWidth = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int k = 0; k < BINS; k++) {
                double lower = (fftFreqs[k] - melF[m]) / lowerWidth;
                double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
                weights[m * BINS + k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return weights;
    }

    // Slaney mel scale: linear below 1 kHz (3 mels per 200 Hz), logarithmic above.
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    static double hzToMel(double hz) {
        return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }

    static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }
}
