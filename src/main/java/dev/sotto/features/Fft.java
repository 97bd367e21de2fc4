package dev.sotto.features;

/**
 * A complex FFT for one fixed size made of small prime factors (Whisper's 400 = 2^4 * 5^2),
 * by recursive decimation in time. Not the fastest possible, but O(n log n) and short.
 */
final class Fft {
    private final int n;
    private final double[] cos;
    private final double[] sin;
    private final double[] scratchRe;
    private final double[] scratchIm;
    private final double[][] levelRe = new double[32][];   // combine buffers, one per recursion depth
    private final double[][] levelIm = new double[32][];

    Fft(int n) {
        this.n = n;
        this.cos = new double[n];
        this.sin = new double[n];
        for (int k = 0; k < n; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = -Math.sin(2 * Math.PI * k / n);   // forward transform: e^{-2 pi i k / n}
        }
        this.scratchRe = new double[n];
        this.scratchIm = new double[n];
    }

    int size() {
        return n;
    }

    /** In-place forward transform of (re, im). Not thread-safe: one instance per thread. */
    void transform(double[] re, double[] im) {
        fft(re, im, 0, 1, n, scratchRe, scratchIm, 0, 0);
        System.arraycopy(scratchRe, 0, re, 0, n);
        System.arraycopy(scratchIm, 0, im, 0, n);
    }

    /** Transforms the size-{@code len} sequence x[offset + stride*j] into out[outOffset ...]. */
    private void fft(double[] re, double[] im, int offset, int stride, int len,
                     double[] outRe, double[] outIm, int outOffset, int depth) {
        if (len == 1) {
            outRe[outOffset] = re[offset];
            outIm[outOffset] = im[offset];
            return;
        }
        int radix = smallestFactor(len);
        int m = len / radix;
        // Sub-transforms of the decimated sequences, stored one after another.
        for (int q = 0; q < radix; q++) {
            fft(re, im, offset + q * stride, stride * radix, m, outRe, outIm, outOffset + q * m, depth + 1);
        }
        if (levelRe[depth] == null) {
            levelRe[depth] = new double[len];
            levelIm[depth] = new double[len];
        }
        double[] tr = levelRe[depth];
        double[] ti = levelIm[depth];
        int twiddleStep = n / len;
        for (int k = 0; k < len; k++) {
            double sr = 0;
            double si = 0;
            int km = k % m;
            for (int q = 0; q < radix; q++) {
                int t = (q * k % len) * twiddleStep;
                double ar = outRe[outOffset + q * m + km];
                double ai = outIm[outOffset + q * m + km];
                sr += ar * cos[t] - ai * sin[t];
                si += ar * sin[t] + ai * cos[t];
            }
            tr[k] = sr;
            ti[k] = si;
        }
        System.arraycopy(tr, 0, outRe, outOffset, len);
        System.arraycopy(ti, 0, outIm, outOffset, len);
    }

    private static int smallestFactor(int len) {
        for (int f = 2; f * f <= len; f++) {
            if (len % f == 0) return f;
        }
        return len;
    }
}
