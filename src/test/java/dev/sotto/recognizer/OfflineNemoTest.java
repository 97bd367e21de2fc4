package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Token;
import dev.sotto.testing.ParakeetSpeech;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    @ParameterizedTest
    @CsvSource({"parakeet-tdt-v2, tdt-beam", "parakeet-rnnt, rnnt", "parakeet-ctc, ctc-beam",
            "fastconformer-hybrid-ctc, ctc-beam"})
    void beamSearchDecodesEveryEnglishClipExactly(String model, String kind) {
        try (Recognizer recognizer = recognizer(model, DecodingConfig.builder().beamSize(4).build())) {
            for (String name : ENGLISH) {
                ParakeetSpeech speech = ParakeetSpeech.named(name);
                assertDecoded(speech.expected(kind), decode(recognizer, speech.samples(), 4000), model + " beam " + name);
            }
        }
    }

    @Test
    void multilingualTdtReportsTheLanguageItHeardAndKeepsTagsOutOfTheText() {
        try (Recognizer recognizer = recognizer("parakeet-tdt-v3", DecodingConfig.DEFAULT)) {
            assertEquals(25, recognizer.info().languages().size(), recognizer.info().languages().toString());
            for (String name : List.of("ml-de", "ml-fr", "ml-en")) {
                ParakeetSpeech speech = ParakeetSpeech.named(name);
                Result result = decode(recognizer, speech.samples(), 4000);
                ParakeetSpeech.Expected expected = speech.expected("tdt");
                assertEquals(expected.text(), result.text(), name);
                assertEquals(speech.language(), result.language(), name);
                assertEquals(expected.tokens().size() - 1, result.tokens().size(), "the tag is not a token of the text");
                assertEquals(expected.starts().get(1), result.tokens().get(0).start(), 1e-9);
            }
        }
    }

    @Test
    void englishModelsReportNoLanguage() {
        try (Recognizer recognizer = recognizer("parakeet-tdt-v2", DecodingConfig.DEFAULT)) {
            assertEquals(List.of(), recognizer.info().languages());
            assertNull(decode(recognizer, ParakeetSpeech.named("en-fox").samples(), 4000).language());
        }
    }

    @Test
    void segmentsEndWhereTheLastTokenEnds() {
        try (Recognizer recognizer = recognizer("parakeet-tdt-v2", DecodingConfig.DEFAULT)) {
            ParakeetSpeech speech = ParakeetSpeech.named("en-fox");
            Result result = decode(recognizer, speech.samples(), 4000);
            assertEquals(1, result.segments().size());
            Segment segment = result.segments().get(0);
            ParakeetSpeech.Expected e = speech.expected("tdt");
            int last = e.starts().size() - 1;
            assertEquals(e.starts().get(0), segment.start(), 1e-9);
            assertEquals(e.starts().get(last) + e.durations().get(last), segment.end(), 1e-9);
            assertTrue(segment.isFinal());
        }
    }
}
