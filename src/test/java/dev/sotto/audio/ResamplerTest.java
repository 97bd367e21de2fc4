package dev.sotto.audio;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {
    private static float[] resampleAll(Resampler r, float[] x) {
        float[] a = r.process(x);
        float[] b = r.flush();
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    @Test
    void keepsFrequencyAndAmplitudeOf1kHzFrom44100() {
        float[] in = Signals.tone(1000, 0.5, 44100, 44100);
        float[] out = resampleAll(new Resampler(44100), in);
        assertEquals(16000, out.length);
        assertEquals(1000, Signals.dominantFrequency(out, 4000, 8192, 16000), 0.5);
        assertEquals(0.5, Signals.amplitudeAt(out, 2000, 12000, 1000, 16000), 0.5 * 0.005, "within 0.05 dB");
    }

    @Test
    void doesNotAlias10kHzFrom44100() {
        // 10 kHz cannot exist at 16 kHz; without filtering it would fold to 6 kHz.
        float[] in = Signals.tone(10_000, 0.5, 44100, 44100);
        float[] out = resampleAll(new Resampler(44100), in);
        double alias = Signals.amplitudeAt(out, 2000, 12000, 6000, 16000);
        double residue = Signals.rms(out, 2000, 12000) * Math.sqrt(2);
        assertTrue(db(alias / 0.5) < -40, "alias at 6 kHz: " + db(alias / 0.5) + " dB");
        assertTrue(db(residue / 0.5) < -60, "everything left: " + db(residue / 0.5) + " dB");
    }

    @Test
    void stopBandStartsAtTheOutputNyquist() {
        // 8.5 kHz at 48 kHz would fold to 7.5 kHz, inside the band: must be gone too.
        float[] out = resampleAll(new Resampler(48000), Signals.tone(8500, 0.5, 48000, 48000));
        assertTrue(db(Signals.rms(out, 2000, 12000) * Math.sqrt(2) / 0.5) < -60);
        // ... while 7 kHz, inside the pass band, stays.
        out = resampleAll(new Resampler(48000), Signals.tone(7000, 0.5, 48000, 48000));
        assertEquals(0.5, Signals.amplitudeAt(out, 2000, 12000, 7000, 16000), 0.5 * 0.01);
    }

    @Test
    void upsamplingFrom8kHasNoImages() {
        float[] out = resampleAll(new Resampler(8000), Signals.tone(1000, 0.5, 8000, 8000));
        assertEquals(16000, out.length);
        assertEquals(0.5, Signals.amplitudeAt(out, 2000, 12000, 1000, 16000), 0.5 * 0.005);
        double image = Signals.amplitudeAt(out, 2000, 12000, 7000, 16000); // 8 kHz - 1 kHz
        assertTrue(db(image / 0.5) < -60, "image at 7 kHz: " + db(image / 0.5) + " dB");
    }

    @Test
    void outputIsAlignedInTimeWithTheInput() {
        // Compare against the tone computed directly at the output instants: no delay, no phase shift.
        float[] out = resampleAll(new Resampler(44100), Signals.tone(440, 0.5, 44100, 44100));
        float[] ideal = Signals.tone(440, 0.5, 16000, 16000);
        double maxError = 0;
        for (int i = 800; i < 15200; i++) { // away from the edges, where the window meets silence
            maxError = Math.max(maxError, Math.abs(out[i] - ideal[i]));
        }
        assertTrue(maxError < 1e-3, "max error " + maxError);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 24000, 32000, 44100, 48000, 96000, 44101})
    void anyRateGivesTheRightLengthAndPitch(int rate) {
        int n = rate * 3 / 2; // 1.5 s
        float[] out = resampleAll(new Resampler(rate), Signals.tone(523.25, 0.5, rate, n));
        assertEquals((long) Math.ceil(n * 16000.0 / rate), out.length);
        assertEquals(523.25, Signals.dominantFrequency(out, 4000, 16384, 16000), 0.5);
        assertEquals(0.5, Signals.amplitudeAt(out, 4000, 16000, 523.25, 16000), 0.5 * 0.005);
    }

    @Test
    void streamingInPiecesEqualsOneGo() {
        Random random = new Random(3);
        float[] in = new float[30_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian() * 0.2f;
        }
        float[] whole = resampleAll(new Resampler(22050), in);
        Resampler r = new Resampler(22050);
        float[] pieces = new float[0];
        for (int pos = 0; pos < in.length; ) {
            int len = Math.min(in.length - pos, random.nextInt(700)); // including empty pieces
            pieces = concat(pieces, r.process(in, pos, len));
            pos += len;
        }
        pieces = concat(pieces, r.flush());
        assertArrayEquals(whole, pieces);
    }

    @Test
    void flushStartsANewStream() {
        Resampler r = new Resampler(44100);
        float[] in = Signals.tone(300, 0.3, 44100, 10_000);
        float[] first = resampleAll(r, in);
        float[] second = resampleAll(r, in);
        assertArrayEquals(first, second);
    }

    @Test
    void equalRatesPassThrough() {
        float[] in = Signals.tone(300, 0.3, 16000, 1000);
        Resampler r = new Resampler(16000);
        assertArrayEquals(in, r.process(in));
        assertEquals(0, r.flush().length);
    }

    @Test
    void constantSignalStaysConstant() {
        float[] in = new float[20_000];
        Arrays.fill(in, 0.25f);
        float[] out = resampleAll(new Resampler(44100), in);
        for (int i = 300; i < out.length - 300; i++) {
            assertEquals(0.25f, out[i], 1e-5f);
        }
    }

    @Test
    void rejectsNonsenseRates() {
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(44100, -1));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
