package dev.sotto.features;

/**
 * The power spectrum |X[k]|² (k = 0 … n/2) of a real frame whose length n is a power of
 * two, by an in-place iterative radix-2 FFT. Twiddles and the bit-reversal table are
 * computed once; one instance is reused frame after frame (not thread-safe).
 */
final class PowerSpectrum {
    private final int n;
    private final int[] bitReversed;
    private final double[] cos;
    private final double[] sin;
    private final double[] re;
    private final double[] im;

    PowerSpectrum(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReversed = new int[n];
        for (int i = 0; i < n; i++) bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            cos[k] = Math.cos(-2 * Math.PI * k / n);
            sin[k] = Math.sin(-2 * Math.PI * k / n);
        }
        re = new double[n];
        im = new double[n];
    }

    int size() {
        return n;
    }

    /** {@code frame} holds n samples (zero-padded by the caller); writes n/2 + 1 powers into {@code power}. */
    void compute(double[] frame, double[] power) {
        for (int i = 0; i < n; i++) {
            re[bitReversed[i]] = frame[i];
            im[i] = 0;
        }
        for (int half = 1; half < n; half <<= 1) {
            int step = n / (2 * half);
            for (int start = 0; start < n; start += 2 * half) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        for (int k = 0; k <= n / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    }
}
