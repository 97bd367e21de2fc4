package dev.sotto.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** NeMo log-mel against models/reference/nemo_mel_reference.py (independent numpy), and streaming = offline. */
class NemoMelTest {
    static float[][] offline(float[] x, int dim) {
        NemoMel mel = new NemoMel(dim);
        mel.accept(x, 0, x.length);
        mel.finish();
        float[][] out = new float[mel.framesReady()][dim];
        for (int i = 0; i < out.length; i++) mel.copyFrames(i, 1, out[i], 0);
        return out;
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        assertEquals(a.length, b.length, "frame count");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
        return max;
    }

    @Test
    void matchesReferenceOnRealSpeech() throws Exception {
        float[] jfk = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
        float[] first2s = Arrays.copyOf(jfk, 32000);
        float[][] expected = Npy.read(TestData.resource("reference/nemo_mel128_jfk2s.npy")).rows();
        float[][] actual = offline(first2s, 128);
        assertEquals(201, actual.length, "L / 160 + 1 frames");
        double err = maxAbsDiff(expected, actual);
        assertTrue(err <= 1e-4, "max abs error " + err);
    }

    @Test
    void matchesReferenceOnChirpWith80BinsAndPerFeatureNormalisation() {
        float[] chirp = Npy.read(TestData.resource("reference/nemo_input_chirp.npy")).data();
        float[][] actual = offline(chirp, 80);
        assertTrue(maxAbsDiff(Npy.read(TestData.resource("reference/nemo_mel80_chirp.npy")).rows(), actual) <= 1e-4);
        NemoMel.normalizePerFeature(actual);
        double err = maxAbsDiff(Npy.read(TestData.resource("reference/nemo_mel80_chirp_per_feature.npy")).rows(), actual);
        assertTrue(err <= 1e-4, "per_feature max abs error " + err);
    }

    @Test
    void streamingInRandomPiecesEqualsOffline() {
        float[] chirp = Npy.read(TestData.resource("reference/nemo_input_chirp.npy")).data();
        float[][] whole = offline(chirp, 128);
        NemoMel mel = new NemoMel(128);
        Random random = new Random(7);
        int frameCount = 0;
        float[][] streamed = new float[whole.length][128];
        for (int pos = 0; pos < chirp.length; ) {
            int n = Math.min(chirp.length - pos, 1 + random.nextInt(700));
            mel.accept(chirp, pos, n);
            pos += n;
            // frames appear as soon as their samples are in, and are consumed and discarded
            for (; frameCount < mel.framesReady(); frameCount++) mel.copyFrames(frameCount, 1, streamed[frameCount], 0);
            mel.discardBefore(frameCount);
            assertTrue(mel.framesReady() >= (pos - 200) / 160, "frames lag behind the input");
        }
        mel.finish();
        for (; frameCount < mel.framesReady(); frameCount++) mel.copyFrames(frameCount, 1, streamed[frameCount], 0);
        assertEquals(whole.length, frameCount);
        for (int i = 0; i < whole.length; i++) assertArrayEquals(whole[i], streamed[i], "frame " + i);
    }

    @Test
    void extendContinuesWithSilence() {
        NemoMel mel = new NemoMel(80);
        float[] zeros = new float[1600];
        mel.accept(zeros, 0, zeros.length);
        mel.finish();
        assertEquals(11, mel.framesReady());
        mel.extend(5);
        assertEquals(16, mel.framesReady());
        float[] frame = new float[80];
        mel.copyFrames(15, 1, frame, 0);
        for (float v : frame) assertEquals(Math.log(Math.pow(2, -24)), v, 1e-6);
    }
}
