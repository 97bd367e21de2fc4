package dev.sotto.features;

/**
 * Triangular mel filters on the slaney scale with slaney area normalisation, as
 * {@code librosa.filters.mel(htk=False, norm="slaney")} builds them (NeMo and Whisper
 * both use it), rounded to float32 like librosa's default dtype. Stored sparsely: each
 * filter is non-zero on a short run of FFT bins.
 */
final class MelFilterBank {
    private final int bins;
    private final int[] start;
    private final float[][] weights;

    private MelFilterBank(int[] start, float[][] weights, int bins) {
        this.start = start;
        this.weights = weights;
        this.bins = bins;
    }

    public static MelFilterBank slaney(int sampleRate, int nFft, int nMels, double fMin, double fMax) {
        int bins = nFft / 2 + 1;
        double[] hz = new double[nMels + 2];
        double lo = hzToMel(fMin);
        double hi = hzToMel(fMax);
        for (int i = 0; i < hz.length; i++) {
            hz[i] = melToHz(lo + (hi - lo) * i / (nMels + 1));
        }
        int[] start = new int[nMels];
        float[][] weights = new float[nMels][];
        for (int m = 0; m < nMels; m++) {
            double norm = 2.0 / (hz[m + 2] - hz[m]);
            float[] row = new float[bins];
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / nFft;
                double lower = (f - hz[m]) / (hz[m + 1] - hz[m]);
                double upper = (hz[m + 2] - f) / (hz[m + 2] - hz[m + 1]);
                // librosa stores the triangle as float32, then scales it in place
                float triangle = (float) Math.max(0, Math.min(lower, upper));
                row[k] = (float) (triangle * norm);
                if (row[k] != 0) {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            if (first < 0) {
                start[m] = 0;
                weights[m] = new float[0];
            } else {
                start[m] = first;
                weights[m] = java.util.Arrays.copyOfRange(row, first, last + 1);
            }
        }
        return new MelFilterBank(start, weights, bins);
    }

    // librosa's slaney scale: linear below 1 kHz (f_sp Hz per mel), logarithmic above.
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    static double hzToMel(double f) {
        return f < MIN_LOG_HZ ? f / F_SP : MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOG_STEP;
    }

    static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? F_SP * mel : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }

    public int size() {
        return weights.length;
    }

    /** FFT bins per filter (n_fft / 2 + 1). */
    public int bins() {
        return bins;
    }

    /** out[m] = sum_k filter[m][k] * power[k]. */
    public void apply(double[] power, double[] out) {
        for (int m = 0; m < weights.length; m++) {
            float[] w = weights[m];
            int s = start[m];
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                sum += w[k] * power[s + k];
            }
            out[m] = sum;
        }
    }

    /** The dense matrix [nMels][bins], for tests and tools. */
    public float[][] dense() {
        float[][] out = new float[weights.length][bins];
        for (int m = 0; m < weights.length; m++) {
            System.arraycopy(weights[m], 0, out[m], start[m], weights[m].length);
        }
        return out;
    }
}
