package dev.sotto.parakeet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.features.Npy;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The offline NeMo front end against models/reference/nemo_mel_reference.py (an
 * independent numpy implementation; outputs committed) on real speech: log-mel then
 * per_feature (Parakeet) or all_features normalisation over the whole piece.
 */
class MelFeaturesTest {
    static float[] jfk4s() throws Exception {
        return Arrays.copyOf(TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples(), 4 * 16000);
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        assertEquals(a.length, b.length, "frame count");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
        return max;
    }

    static MelFeatures features(String normalize, int dim) {
        return MelFeatures.of(Map.of("normalize_type", normalize), Path.of("encoder.onnx"), dim);
    }

    @Test
    void perFeatureMatchesTheReferenceOnRealSpeech() throws Exception {
        float[][] expected = Npy.read(TestData.resource("reference/nemo_mel128_jfk4s_per_feature.npy")).rows();
        float[][] actual = features("per_feature", 128).features(jfk4s());
        assertEquals(401, actual.length, "L / 160 + 1 frames");
        double err = maxAbsDiff(expected, actual);
        assertTrue(err <= 1e-4, "max abs error " + err);
    }

    @Test
    void allFeaturesMatchesTheReferenceOnRealSpeech() throws Exception {
        float[][] expected = Npy.read(TestData.resource("reference/nemo_mel80_jfk4s_all_features.npy")).rows();
        double err = maxAbsDiff(expected, features("all_features", 80).features(jfk4s()));
        assertTrue(err <= 1e-4, "max abs error " + err);
    }

    @Test
    void unknownNormalisationsAndGigaAmAreRefused() {
        assertEquals(MelFeatures.Normalization.NONE, features("NA", 80).normalization());
        assertEquals(MelFeatures.Normalization.NONE, features("", 80).normalization());
        SottoException e = assertThrows(SottoException.class, () -> features("fixed_mean", 80));
        assertTrue(e.getMessage().contains("fixed_mean"), e.getMessage());
        e = assertThrows(SottoException.class, () -> MelFeatures.of(Map.of("is_giga_am", "1"), Path.of("model.onnx"), 64));
        assertTrue(e.getMessage().contains("GigaAM"), e.getMessage());
    }
}
