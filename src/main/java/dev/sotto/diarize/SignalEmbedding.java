package dev.sotto.diarize;

import dev.sotto.features.KaldiFbank;

/**
 * The built-in speaker embedding, computed from the signal alone (no weights): statistics
 * over the window of 19 MFCCs (c1..c19 of a 40-band Kaldi log-mel, c0, the loudness,
 * left out), their deltas, and the pitch.
 *
 * <pre>
 *   MFCC means (19) | MFCC standard deviations (19) | delta standard deviations (19) |
 *   median log F0, spread of log F0, voiced share (each repeated {@value #PITCH_WEIGHT} times)
 * </pre>
 *
 * Means of MFCCs describe the vocal tract and channel, their spread and the deltas the
 * speaking style, the pitch separates most voices of different sex or age. Each statistic is
 * scaled by a fixed mean and spread measured on many speakers (below), so distances mean
 * the same in every file. It separates voices that differ clearly (pitch,
 * timbre, microphone) and is fooled by similar voices or by one speaker whose channel
 * changes; a neural embedding ({@code --speaker-model}) is much better at both.
 */
public final class SignalEmbedding implements SpeakerEmbedding {
    static final int BANDS = 40;
    static final int CEPSTRA = 19;
    static final int PITCH_WEIGHT = 4;
    private static final int RATE = 16000;
    private static final int PITCH_FRAME = 640;    // 40 ms: two periods of a 50 Hz voice
    private static final int PITCH_HOP = 320;   // 20 ms: pitch changes slowly, and this halves the cost
    private static final int MIN_LAG = RATE / 400;
    private static final int MAX_LAG = RATE / 60;
    private static final double VOICED = 0.5;     // normalised autocorrelation peak of a voiced frame


    /**
     * Mean and standard deviation of each statistic (MFCC means, spreads, delta spreads, then the
     * three pitch values) over 363 speech windows of the 48 utterances in ../shared/audio (about
     * 40 speakers, 8 languages, several corpora): a fixed scale, so that distances mean the same
     * in every file and a one-speaker file stays one speaker.
     */
    private static final float[] MEAN = {
            -16.1059f, -11.7947f, -6.8128f, -19.9129f, -13.7258f, -10.8871f, -5.1526f, -2.3607f, -8.4294f, -1.7286f,
            -5.6268f, -1.7874f, -3.4889f, -4.2846f, -2.0229f, 0.2930f, -0.2788f, -0.6692f, -0.5307f, 42.0440f,
            26.1619f, 18.4785f, 15.8687f, 11.8008f, 9.6214f, 9.0118f, 7.8444f, 7.9212f, 7.1596f, 7.4124f,
            6.6596f, 6.4174f, 6.1757f, 6.4397f, 6.1849f, 6.2474f, 5.8254f, 5.7245f, 11.7670f, 7.2938f,
            5.3179f, 5.1436f, 4.1559f, 3.6093f, 3.4407f, 3.2809f, 3.1791f, 3.0839f, 3.0108f, 2.8982f,
            2.7578f, 2.6654f, 2.6235f, 2.5718f, 2.5300f, 2.4839f, 2.4352f, 5.2457f, 0.3594f, 0.6902f
    };
    private static final float[] SCALE = {
            17.4793f, 13.0137f, 9.8656f, 10.4533f, 7.8821f, 5.8920f, 3.8021f, 3.7793f, 5.3115f, 3.5342f,
            3.9358f, 3.2030f, 3.3592f, 3.0131f, 2.5321f, 2.2790f, 2.5666f, 2.0300f, 2.2657f, 10.5496f,
            6.6342f, 4.0859f, 3.6555f, 2.5352f, 1.8454f, 1.8874f, 1.4066f, 1.3938f, 1.2756f, 1.3108f,
            1.1700f, 1.2179f, 1.3521f, 1.6028f, 1.4336f, 1.5884f, 1.4128f, 1.3462f, 2.5907f, 1.1358f,
            0.8076f, 0.8753f, 0.5946f, 0.4249f, 0.4431f, 0.3532f, 0.3583f, 0.3580f, 0.3496f, 0.3291f,
            0.2948f, 0.2906f, 0.3094f, 0.3217f, 0.3250f, 0.3553f, 0.3662f, 0.3283f, 0.2276f, 0.1134f
    };

    private final double[][] dct = new double[CEPSTRA][BANDS];

    public SignalEmbedding() {
        for (int k = 0; k < CEPSTRA; k++) {
            for (int m = 0; m < BANDS; m++) dct[k][m] = Math.cos(Math.PI * (k + 1) * (m + 0.5) / BANDS);
        }
    }

    @Override
    public String name() {
        return "built-in (MFCC and pitch statistics)";
    }

    @Override
    public double defaultThreshold() {
        // Measured on ../shared/audio: single-speaker files stay one speaker (all but one of 12).
        return 0.8;
    }

    public int dimension() {
        return 3 * CEPSTRA + 3 * PITCH_WEIGHT;
    }

    @Override
    public float[] embed(float[] samples, int from, int to) {
        double[][] c = mfcc(samples, from, to);
        float[] out = new float[dimension()];
        int frames = c.length;
        if (frames == 0) return out;
        for (int k = 0; k < CEPSTRA; k++) {
            double mean = 0;
            double sq = 0;
            double deltaSq = 0;
            for (int t = 0; t < frames; t++) {
                mean += c[t][k];
                sq += c[t][k] * c[t][k];
                double delta = (c[Math.min(frames - 1, t + 1)][k] - c[Math.max(0, t - 1)][k]) / 2;
                deltaSq += delta * delta;
            }
            mean /= frames;
            out[k] = (float) mean;
            out[CEPSTRA + k] = (float) Math.sqrt(Math.max(0, sq / frames - mean * mean));
            out[2 * CEPSTRA + k] = (float) Math.sqrt(deltaSq / frames);
        }
        double[] pitch = pitch(samples, from, to);
        for (int r = 0; r < PITCH_WEIGHT; r++) {
            for (int p = 0; p < 3; p++) out[3 * CEPSTRA + 3 * r + p] = (float) pitch[p];
        }
        for (int k = 0; k < out.length; k++) {
            int stat = k < 3 * CEPSTRA ? k : 3 * CEPSTRA + (k - 3 * CEPSTRA) % 3;
            out[k] = (out[k] - MEAN[stat]) / SCALE[stat];
        }
        return out;
    }

    /** c1..c19 per 10 ms frame. */
    private double[][] mfcc(float[] samples, int from, int to) {
        KaldiFbank fbank = new KaldiFbank(KaldiFbank.Options.sherpaOnnx(BANDS));
        fbank.accept(samples, from, to - from);
        fbank.finish();
        int frames = fbank.framesReady();
        float[] mel = new float[frames * BANDS];
        fbank.copyFrames(0, frames, mel, 0);
        double[][] c = new double[frames][CEPSTRA];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < CEPSTRA; k++) {
                double s = 0;
                for (int m = 0; m < BANDS; m++) s += dct[k][m] * mel[t * BANDS + m];
                c[t][k] = s;
            }
        }
        return c;
    }

    /**
     * {median log F0, spread (interquartile range) of log F0, share of voiced frames}, by
     * normalised autocorrelation over 40 ms frames every 10 ms, 60..400 Hz; zeros when no
     * frame is voiced.
     */
    static double[] pitch(float[] x, int from, int to) {
        int frames = (to - from - PITCH_FRAME) / PITCH_HOP + 1;
        if (frames <= 0) return new double[3];
        double[] logF0 = new double[frames];
        int voiced = 0;
        int half = PITCH_FRAME - MAX_LAG;
        for (int f = 0; f < frames; f++) {
            int s = from + f * PITCH_HOP;
            double e0 = 0;
            for (int i = 0; i < half; i++) e0 += x[s + i] * x[s + i];
            if (e0 < 1e-6) continue;
            double best = 0;
            int bestLag = 0;
            for (int lag = MIN_LAG; lag <= MAX_LAG; lag++) {
                double r = 0;
                double el = 0;
                for (int i = 0; i < half; i++) {
                    r += x[s + i] * x[s + i + lag];
                    el += x[s + i + lag] * x[s + i + lag];
                }
                double norm = r / Math.sqrt(e0 * el + 1e-12);
                if (norm > best) {
                    best = norm;
                    bestLag = lag;
                }
            }
            if (best >= VOICED) logF0[voiced++] = Math.log(RATE / (double) bestLag);
        }
        if (voiced == 0) return new double[3];
        double[] v = java.util.Arrays.copyOf(logF0, voiced);
        java.util.Arrays.sort(v);
        return new double[] {v[voiced / 2], v[(3 * voiced) / 4] - v[voiced / 4], voiced / (double) frames};
    }

    @Override
    public void close() {
    }
}
