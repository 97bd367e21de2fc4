package dev.sotto.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The FFT against a direct O(n^2) DFT, for power-of-two and other sizes, with zero padding. */
class FftTest {
    static double[] dftPower(double[] x, int length, int n) {
        double[] p = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < length; t++) {
                re += x[t] * Math.cos(2 * Math.PI * k * t / n);
                im -= x[t] * Math.sin(2 * Math.PI * k * t / n);
            }
            p[k] = re * re + im * im;
        }
        return p;
    }

    @Test
    void matchesTheDirectDft() {
        Random random = new Random(3);
        int[][] cases = {{512, 400}, {512, 512}, {400, 400}, {256, 7}, {2, 2}, {48, 30}};
        for (int[] c : cases) {
            int n = c[0];
            int length = c[1];
            double[] x = new double[length];
            for (int i = 0; i < length; i++) x[i] = random.nextGaussian();
            double[] expected = dftPower(x, length, n);
            double[] actual = new double[n / 2 + 1];
            new Fft(n).powerSpectrum(x, length, actual);
            for (int k = 0; k <= n / 2; k++) {
                assertEquals(expected[k], actual[k], 1e-9 * (1 + expected[k]), "n=" + n + " k=" + k);
            }
        }
    }
}
