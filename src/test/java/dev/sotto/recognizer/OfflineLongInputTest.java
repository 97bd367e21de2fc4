package dev.sotto.recognizer;

import static dev.sotto.recognizer.OfflineNemoTest.assertDecoded;
import static dev.sotto.recognizer.OfflineNemoTest.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.testing.ParakeetSpeech;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs longer than one encoder call: cut into pieces of at most 30 s (by Silero VAD, or
 * at the quietest moments without a VAD model), decoded piece by piece, the tokens placed
 * at their time in the whole input.
 */
class OfflineLongInputTest {
    static Path silero(String version) {
        return TestData.shared().resolve("models/silero-vad/silero_vad_" + version + ".onnx");
    }

    static DecodingConfig withVad(String version) {
        return DecodingConfig.builder().vadModel(silero(version)).build();
    }

    static void assertPieces(Result result, int expected) {
        assertEquals(expected, result.segments().size(), "one segment per piece");
        for (Segment s : result.segments()) assertTrue(s.end() - s.start() <= 30, s.toString());
    }

    @ParameterizedTest
    @CsvSource({"parakeet-tdt-v2, tdt", "parakeet-rnnt, rnnt", "parakeet-ctc, ctc"})
    void withoutAVadModelAMinuteIsCutAtItsQuietestMoments(String model, String kind) {
        ParakeetSpeech speech = ParakeetSpeech.named("en-long");
        try (Recognizer recognizer = OfflineNemoTest.recognizer(model, DecodingConfig.DEFAULT)) {
            Result result = decode(recognizer, speech.samples(), 16000);
            assertDecoded(speech.expected(kind), result, model + " en-long");
            assertEquals(3, result.segments().size(), "57 s in pieces of at most 30 s");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v5", "v6"})
    void sileroVadCutsAtSpeechPausesAndLeavesSilenceOut(String version) {
        ParakeetSpeech speech = ParakeetSpeech.named("en-vad");
        try (Recognizer recognizer = OfflineNemoTest.recognizer("parakeet-tdt-v2", withVad(version))) {
            Result result = decode(recognizer, speech.samples(), 5000);
            assertDecoded(speech.expected("tdt"), result, "en-vad with Silero " + version);
            assertPieces(result, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"parakeet-tdt-v2", "parakeet-ctc"})
    void withoutVadTheSpeechClipIsStillCutRight(String model) {
        ParakeetSpeech speech = ParakeetSpeech.named("en-vad");
        try (Recognizer recognizer = OfflineNemoTest.recognizer(model, DecodingConfig.DEFAULT)) {
            assertDecoded(speech.expected(model.endsWith("ctc") ? "ctc" : "tdt"), decode(recognizer, speech.samples(), 5000),
                    model + " en-vad without VAD");
        }
    }
}
