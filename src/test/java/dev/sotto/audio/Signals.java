package dev.sotto.audio;

import java.util.Arrays;

/** Measurements on decoded audio for the tests. */
final class Signals {
    private Signals() {
    }

    static float[] tone(double freq, double amplitude, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    static double rms(float[] x, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += x[i] * (double) x[i];
        }
        return Math.sqrt(sum / n);
    }

    /** Amplitude of the {@code freq} component in x[from, from+n), Hann-windowed. */
    static double amplitudeAt(float[] x, int from, int n, double freq, int rate) {
        double re = 0;
        double im = 0;
        double wsum = 0;
        for (int k = 0; k < n; k++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / (n - 1));
            double a = 2 * Math.PI * freq * k / rate;
            re += w * x[from + k] * Math.cos(a);
            im -= w * x[from + k] * Math.sin(a);
            wsum += w;
        }
        return 2 * Math.hypot(re, im) / wsum;
    }

    /** The strongest frequency in x[from, from+n) (n a power of two), to a fraction of a bin. */
    static double dominantFrequency(float[] x, int from, int n, int rate) {
        double[] re = new double[n];
        double[] im = new double[n];
        for (int k = 0; k < n; k++) {
            re[k] = x[from + k] * (0.5 - 0.5 * Math.cos(2 * Math.PI * k / (n - 1)));
        }
        fft(re, im);
        int best = 1;
        double[] mag = new double[n / 2];
        for (int k = 1; k < n / 2; k++) {
            mag[k] = Math.log(Math.hypot(re[k], im[k]) + 1e-12);
            if (mag[k] > mag[best]) {
                best = k;
            }
        }
        double shift = 0;
        if (best > 1 && best < n / 2 - 1) {
            double a = mag[best - 1];
            double b = mag[best];
            double c = mag[best + 1];
            shift = 0.5 * (a - c) / (a - 2 * b + c);
        }
        return (best + shift) * rate / n;
    }

    /** In-place radix-2 FFT. */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(ang * k);
                    double wi = Math.sin(ang * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
    }

    /** Decodes everything, reading in pieces of an odd size to exercise the pull API. */
    static float[] decodeAll(AudioDecoder decoder) {
        float[] all = new float[16000];
        int total = 0;
        float[] piece = new float[1237];
        for (int n; (n = decoder.read(piece, 0, piece.length)) > 0; ) {
            if (total + n > all.length) {
                all = Arrays.copyOf(all, all.length * 2);
            }
            System.arraycopy(piece, 0, all, total, n);
            total += n;
        }
        return Arrays.copyOf(all, total);
    }

    /** Normalised cross-correlation of a and b at the best lag within ±maxLag; returns {corr, lag}. */
    static double[] bestCorrelation(float[] a, float[] b, int maxLag) {
        double best = -2;
        int bestLag = 0;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = correlation(a, b, lag);
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        return new double[] {best, bestLag};
    }

    /** Correlation of a[i] with b[i + lag] over their overlap. */
    static double correlation(float[] a, float[] b, int lag) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
            double x = a[i];
            double y = b[i + lag];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }
}
