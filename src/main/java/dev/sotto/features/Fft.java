package dev.sotto.features;

/**
 * Power spectrum of real frames: an iterative radix-2 FFT for power-of-two sizes and
 * Bluestein's chirp-z algorithm on top of it for any other size (Whisper's 400-point
 * FFT). Double precision; one instance per thread (it owns its work buffers).
 */
final class Fft {
    private final int n;
    private final Radix2 radix2;
    // Bluestein: chirp w[k] = exp(-i*pi*k^2/n), and the FFT of its conjugate, zero-padded to m.
    private final double[] chirpRe;
    private final double[] chirpIm;
    private final double[] filterRe;
    private final double[] filterIm;
    private final double[] re;
    private final double[] im;
    private final double[] twiddleCos;   // power-of-two sizes: exp(-2 pi i k / n) to unpack the half-size FFT
    private final double[] twiddleSin;

    public Fft(int n) {
        this.n = n;
        if (Integer.bitCount(n) == 1) {
            // A real frame of n samples is packed into n/2 complex values (even + i*odd).
            radix2 = new Radix2(n / 2);
            re = new double[n / 2];
            im = new double[n / 2];
            chirpRe = chirpIm = filterRe = filterIm = null;
            twiddleCos = new double[n / 2 + 1];
            twiddleSin = new double[n / 2 + 1];
            for (int k = 0; k <= n / 2; k++) {
                twiddleCos[k] = Math.cos(2 * Math.PI * k / n);
                twiddleSin[k] = Math.sin(2 * Math.PI * k / n);
            }
            return;
        }
        twiddleCos = twiddleSin = null;
        int m = Integer.highestOneBit(2 * n - 1) << 1;
        radix2 = new Radix2(m);
        chirpRe = new double[n];
        chirpIm = new double[n];
        filterRe = new double[m];
        filterIm = new double[m];
        for (int k = 0; k < n; k++) {
            // k*k mod 2n keeps the angle exact for large k
            double angle = Math.PI * ((long) k * k % (2L * n)) / n;
            chirpRe[k] = Math.cos(angle);
            chirpIm[k] = -Math.sin(angle);
            filterRe[k] = chirpRe[k];
            filterIm[k] = -chirpIm[k];
            if (k > 0) {
                filterRe[m - k] = chirpRe[k];
                filterIm[m - k] = -chirpIm[k];
            }
        }
        radix2.transform(filterRe, filterIm, false);
        re = new double[m];
        im = new double[m];
    }

    public int size() {
        return n;
    }

    /**
     * |X[k]|^2 for k = 0..n/2 of the real frame {@code x[0..length)} zero-padded to n.
     */
    public void powerSpectrum(double[] x, int length, double[] power) {
        if (chirpRe == null) {
            realPowerSpectrum(x, length, power);
            return;
        }
        java.util.Arrays.fill(re, 0);
        java.util.Arrays.fill(im, 0);
        for (int k = 0; k < length; k++) {
            re[k] = x[k] * chirpRe[k];
            im[k] = x[k] * chirpIm[k];
        }
        radix2.transform(re, im, false);
        for (int k = 0; k < re.length; k++) {
            double r = re[k] * filterRe[k] - im[k] * filterIm[k];
            double i = re[k] * filterIm[k] + im[k] * filterRe[k];
            re[k] = r;
            im[k] = i;
        }
        radix2.transform(re, im, true);
        for (int k = 0; k <= n / 2; k++) {
            double r = re[k] * chirpRe[k] - im[k] * chirpIm[k];
            double i = re[k] * chirpIm[k] + im[k] * chirpRe[k];
            power[k] = r * r + i * i;
        }
    }

    /**
     * Power-of-two sizes: z[m] = x[2m] + i x[2m+1] transformed at half size, then
     * X[k] = (Z[k] + conj Z[h-k]) / 2 - i e^{-2 pi i k/n} (Z[k] - conj Z[h-k]) / 2, h = n/2.
     */
    private void realPowerSpectrum(double[] x, int length, double[] power) {
        int h = n / 2;
        for (int m = 0; m < h; m++) {
            int a = 2 * m;
            re[m] = a < length ? x[a] : 0;
            im[m] = a + 1 < length ? x[a + 1] : 0;
        }
        radix2.transform(re, im, false);
        for (int k = 0; k <= h; k++) {
            int j = k % h;
            int jc = (h - k) % h;
            double zr = re[j];
            double zi = im[j];
            double cr = re[jc];
            double ci = -im[jc];
            double er = (zr + cr) / 2;     // spectrum of the even samples
            double ei = (zi + ci) / 2;
            double or = (zi - ci) / 2;     // spectrum of the odd samples: -i (Z - conj Z') / 2
            double oi = -(zr - cr) / 2;
            double wr = twiddleCos[k];
            double wi = -twiddleSin[k];
            double xr = er + wr * or - wi * oi;
            double xi = ei + wr * oi + wi * or;
            power[k] = xr * xr + xi * xi;
        }
    }

    /** In-place complex FFT of a power-of-two size; the inverse is scaled by 1/m. */
    private static final class Radix2 {
        private final int m;
        private final int[] reversed;
        private final double[] cos;
        private final double[] sin;

        Radix2(int m) {
            this.m = m;
            int bits = Integer.numberOfTrailingZeros(m);
            reversed = new int[m];
            for (int i = 0; i < m; i++) {
                reversed[i] = Integer.reverse(i) >>> (32 - bits);
            }
            cos = new double[m / 2];
            sin = new double[m / 2];
            for (int i = 0; i < m / 2; i++) {
                cos[i] = Math.cos(2 * Math.PI * i / m);
                sin[i] = Math.sin(2 * Math.PI * i / m);
            }
        }

        void transform(double[] re, double[] im, boolean inverse) {
            for (int i = 0; i < m; i++) {
                int j = reversed[i];
                if (j > i) {
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
            }
            double sign = inverse ? 1 : -1;
            for (int size = 2; size <= m; size <<= 1) {
                int half = size / 2;
                int step = m / size;
                for (int start = 0; start < m; start += size) {
                    for (int k = 0; k < half; k++) {
                        double wr = cos[k * step];
                        double wi = sign * sin[k * step];
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
            if (inverse) {
                for (int i = 0; i < m; i++) {
                    re[i] /= m;
                    im[i] /= m;
                }
            }
        }
    }
}
