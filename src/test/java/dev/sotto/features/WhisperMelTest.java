package dev.sotto.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhisperMelTest {
    private static final Path REFERENCE = Path.of("src/test/resources/reference");

    @Test
    void computedFiltersEqualWhispersMelFiltersFile() {
        Map<String, Npy.Array> real = Npy.readNpz(TestData.shared().resolve("models/whisper-assets/mel_filters.npz"));
        for (int nMels : new int[] {80, 128}) {
            Npy.Array expected = real.get("mel_" + nMels);
            assertArrayEquals(new int[] {nMels, 201}, expected.shape());
            float[][] dense = WhisperMel.melFilters(nMels).dense();
            float[] actual = new float[nMels * 201];
            for (int m = 0; m < nMels; m++) System.arraycopy(dense[m], 0, actual, m * 201, 201);
            assertTrue(maxAbsDiff(expected.data(), actual) < 1e-6, "mel_" + nMels + " differs by " + maxAbsDiff(expected.data(), actual));
        }
    }

    @Test
    void logMelMatchesIndependentReferenceWith80Mels() throws Exception {
        float[] jfk = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
        Npy.Array expected = Npy.read(REFERENCE.resolve("whisper-mel80-jfk-4s.npy"));
        float[] actual = new WhisperMel(80).logMel(Arrays.copyOf(jfk, 64000));
        assertEquals(80 * 400, actual.length);
        assertTrue(maxAbsDiff(expected.data(), actual) <= 1e-4, "max abs error " + maxAbsDiff(expected.data(), actual));
    }

    @Test
    void logMelMatchesIndependentReferenceWith128Mels() throws Exception {
        float[] jfk = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
        Npy.Array expected = Npy.read(REFERENCE.resolve("whisper-mel128-jfk-2.5s-from-3s.npy"));
        float[] actual = new WhisperMel(128).logMel(Arrays.copyOfRange(jfk, 48000, 48000 + 40000));
        assertTrue(maxAbsDiff(expected.data(), actual) <= 1e-4, "max abs error " + maxAbsDiff(expected.data(), actual));
    }

    @Test
    void decodingWindowMatchesReferenceIncludingTheZeroPaddedTail() throws Exception {
        float[] jfk = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
        Npy.Array expected = Npy.read(REFERENCE.resolve("whisper-mel80-jfk-window-seek500.npy"));
        float[] window = new float[80 * WhisperMel.N_FRAMES];
        new WhisperMel(80).window(i -> jfk[(int) i], jfk.length, 500, WhisperMel.N_FRAMES, window);
        int keep = expected.dim(1);
        float[] head = new float[80 * keep];
        for (int m = 0; m < 80; m++) System.arraycopy(window, m * WhisperMel.N_FRAMES, head, m * keep, keep);
        assertTrue(maxAbsDiff(expected.data(), head) <= 1e-4, "max abs error " + maxAbsDiff(expected.data(), head));
    }

    @Test
    void npyWriteThenReadRoundTrips() throws Exception {
        float[] data = {1f, -2.5f, 3.25f, 0f, 1e-7f, 42f};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, data, 2, 3);
        assertEquals(0, (out.size() - 4 * data.length) % 64, "the header is padded to a multiple of 64 bytes");
        Npy.Array back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "memory");
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(data, back.data());
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
