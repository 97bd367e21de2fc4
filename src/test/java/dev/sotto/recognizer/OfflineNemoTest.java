package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import dev.sotto.engine.Token;
import dev.sotto.testing.ParakeetSpeech;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end on the synthetic offline NeMo exports (models/synth_parakeet.py): audio → NeMo
 * mel → per_feature normalisation → encoder → TDT / RNN-T / CTC search → text. The models
 * decode their tone-coded speech exactly, so transcripts, token times and durations are
 * asserted exactly; clips are fed in odd pieces.
 */
class OfflineNemoTest {
    static final List<String> ENGLISH = List.of("en-fox", "en-hello", "en-repeats", "en-long-tones", "en-stutter",
            "en-soft", "en-short", "en-silence");

    static Recognizer recognizer(String model, DecodingConfig decoding) {
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(ParakeetSpeech.models().resolve(model)).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build()).decoding(decoding).build());
    }

    static Result decode(Recognizer recognizer, float[] samples, int piece) {
        try (RecognitionStream stream = recognizer.createStream()) {
            for (int pos = 0; pos < samples.length; pos += piece) {
                stream.acceptWaveform(samples, pos, Math.min(piece, samples.length - pos));
                while (recognizer.isReady(stream)) recognizer.decode(stream);
            }
            stream.inputFinished();
            while (recognizer.isReady(stream)) recognizer.decode(stream);
            return recognizer.getResult(stream);
        }
    }

    static void assertDecoded(ParakeetSpeech.Expected expected, Result result, String what) {
        assertEquals(expected.text(), result.text(), what);
        List<Token> tokens = result.tokens();
        assertEquals(expected.tokens().size(), tokens.size(), what + ": " + tokens);
        for (int i = 0; i < tokens.size(); i++) {
            assertEquals(expected.tokens().get(i).replace('\u2581', ' '), tokens.get(i).text(), what + " token " + i);
            assertEquals(expected.starts().get(i), tokens.get(i).start(), 1e-9, what + " start of token " + i);
            assertEquals(expected.durations().get(i), tokens.get(i).duration(), 1e-9, what + " duration of token " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"parakeet-tdt-v2, tdt, nemo-tdt", "parakeet-rnnt, rnnt, nemo-rnnt", "parakeet-ctc, ctc, nemo-ctc",
            "fastconformer-hybrid-ctc, ctc, nemo-ctc"})
    void greedySearchDecodesEveryEnglishClipExactly(String model, String kind, String family) {
        try (Recognizer recognizer = recognizer(model, DecodingConfig.DEFAULT)) {
            assertEquals(family, recognizer.info().family());
            assertEquals(0, recognizer.info().chunkMs());
            for (String name : ENGLISH) {
                ParakeetSpeech speech = ParakeetSpeech.named(name);
                assertDecoded(speech.expected(kind), decode(recognizer, speech.samples(), 3001), model + " " + name);
            }
        }
    }
}
