package dev.sotto.features;

/**
 * Kaldi's triangular mel filterbank (HTK mel scale {@code 1127 ln(1 + f/700)}, no VTLN,
 * no normalisation): {@code bins} triangles equally spaced in mel between the low and
 * high cut-offs, evaluated at the centre frequency of FFT bins 0 … n/2 - 1 (Kaldi leaves
 * out the Nyquist bin). Values follow Kaldi's single-precision arithmetic.
 */
final class KaldiMelBanks {
    private final int[] firstBin;
    private final float[][] weights;

    /**
     * @param highFreq the upper cut-off in Hz; zero or negative counts down from Nyquist
     */
    KaldiMelBanks(int bins, int fftSize, float sampleRate, float lowFreq, float highFreq) {
        float nyquist = 0.5f * sampleRate;
        float high = highFreq > 0 ? highFreq : nyquist + highFreq;
        if (bins < 3 || lowFreq < 0 || lowFreq >= nyquist || high <= lowFreq || high > nyquist) {
            throw new IllegalArgumentException("bad mel options: " + bins + " bins, " + lowFreq + "-" + high + " Hz");
        }
        int fftBins = fftSize / 2;
        float binWidth = sampleRate / fftSize;
        float melLow = mel(lowFreq);
        float melDelta = (mel(high) - melLow) / (bins + 1);
        firstBin = new int[bins];
        weights = new float[bins][];
        for (int b = 0; b < bins; b++) {
            float left = melLow + b * melDelta;
            float centre = melLow + (b + 1) * melDelta;
            float right = melLow + (b + 2) * melDelta;
            float[] row = new float[fftBins];
            int first = -1;
            int last = -1;
            for (int i = 0; i < fftBins; i++) {
                float m = mel(binWidth * i);
                if (m > left && m < right) {
                    row[i] = m <= centre ? (m - left) / (centre - left) : (right - m) / (right - centre);
                    if (first < 0) first = i;
                    last = i;
                }
            }
            if (first < 0) throw new IllegalArgumentException("mel bin " + b + " is empty: too many bins for the FFT size");
            firstBin[b] = first;
            weights[b] = java.util.Arrays.copyOfRange(row, first, last + 1);
        }
    }

    static float mel(float hz) {
        return 1127.0f * (float) Math.log(1.0f + hz / 700.0f);
    }

    int bins() {
        return weights.length;
    }

    /** Mel energies of one power spectrum (at least n/2 values). */
    void apply(double[] power, double[] out) {
        for (int b = 0; b < weights.length; b++) {
            float[] w = weights[b];
            int offset = firstBin[b];
            double sum = 0;
            for (int k = 0; k < w.length; k++) sum += w[k] * power[offset + k];
            out[b] = sum;
        }
    }
}
