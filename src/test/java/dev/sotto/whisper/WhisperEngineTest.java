package dev.sotto.whisper;

import dev.sotto.engine.StreamOptions;
import static dev.sotto.whisper.WhisperTesting.audio;
import static dev.sotto.whisper.WhisperTesting.expected;
import static dev.sotto.whisper.WhisperTesting.model;
import static dev.sotto.whisper.WhisperTesting.transcribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Engine;
import dev.sotto.engine.EngineStream;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Token;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine on the synthetic models (models/synth_whisper.py explains what they hear and
 * say): exact transcripts and timestamps in both layouts, long-form seeking, language
 * detection, translation, prompts, temperature fallback, no-speech skipping, VAD mode.
 */
class WhisperEngineTest {
    static final String[] ALL = {"sherpa-tiny.en", "sherpa-base-int8", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"};

    static int mels(String model) {
        return model.contains("large") ? 128 : 80;
    }

    static boolean multilingual(String model) {
        return !model.endsWith(".en");
    }

    static DecodingConfig greedy() {
        return DecodingConfig.builder().beamSize(1).build();
    }

    static DecodingConfig beam() {
        return DecodingConfig.DEFAULT;
    }

    /** e^8 / (e^8 + languages - 1): the synthetic decoder's language logits (8 for the one heard, 0 else). */
    static double languageProbability(String model) {
        int languages = model.contains("v3") ? 100 : 99;
        return Math.exp(8) / (Math.exp(8) + languages - 1);
    }

    static void assertSegments(JsonNode expected, Result actual, double tolerance) {
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (JsonNode s : expected) want.add(s.path("text").asText());
        for (Segment s : actual.segments()) got.add(s.text());
        assertEquals(want, got, WhisperTesting.describe(actual));
        for (int i = 0; i < expected.size(); i++) {
            Segment s = actual.segments().get(i);
            assertEquals(expected.get(i).path("start").asDouble(), s.start(), tolerance, "start of " + s);
            assertEquals(expected.get(i).path("end").asDouble(), s.end(), tolerance, "end of " + s);
            assertTrue(s.isFinal());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-tiny.en", "sherpa-base-int8", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"})
    void twoSegmentsAreExactInEveryLayoutWithGreedyAndBeamSearch(String name) {
        JsonNode expected = expected(mels(name), "two-segments");
        for (DecodingConfig config : List.of(greedy(), beam())) {
            Result r = transcribe(model(name), audio(mels(name), "two-segments"), config);
            assertSegments(expected.path("segments"), r, 1e-9);
            assertEquals("Hello world. The cat sat on the mat.", r.text());
            assertEquals("en", r.language());
            if (multilingual(name)) {
                assertEquals(languageProbability(name), r.languageProbability(), 1e-9);
            } else {
                assertTrue(Double.isNaN(r.languageProbability()), "English-only models detect nothing");
            }
            for (Segment s : r.segments()) {
                assertEquals(0, s.scores().seek());
                assertEquals(0.0, s.scores().temperature());
                assertEquals(0.0, s.scores().avgLogprob(), 1e-6);
                assertTrue(s.scores().noSpeechProb() < 1e-9, "no_speech_prob " + s.scores().noSpeechProb());
                assertEquals(DecodeResult.compressionRatio("Hello world. The cat sat on the mat."),
                        s.scores().compressionRatio(), 1e-9);
            }
        }
    }

    @Test
    void segmentTokensCarryIdsAndTimes() {
        Result r = transcribe(model("sherpa-large-v3"), audio(128, "two-segments"), greedy());
        SpecialTokens v3 = SpecialTokens.forVocabulary(51866);
        Segment first = r.segments().get(0);
        // <|0.40|> " Hello" " world" "." <|1.06|>: ids of the real multilingual vocabulary.
        List<Integer> ids = first.tokens().stream().map(Token::id).toList();
        assertEquals(List.of(v3.timestampBegin() + 20, 2425, 1002, 13, v3.timestampBegin() + 53), ids);
        assertEquals(0.40, first.tokens().get(0).start(), 1e-9);
        assertEquals(1.06, first.tokens().get(4).start(), 1e-9);
        assertEquals(" Hello", first.tokens().get(1).text());
        assertEquals(0.40, first.tokens().get(1).start(), 1e-9, "the first word starts with its segment");
        assertTrue(first.tokens().get(2).start() > 0.40 && first.tokens().get(2).start() < 1.06);
        // The result's token list has the text tokens only.
        assertEquals(List.of(" Hello", " world", ".", " The", " cat", " sat", " on", " the", " mat", "."),
                r.tokens().stream().map(Token::text).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-tiny.en", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"})
    void longFormSeeksAcrossWindowsSkipsSilenceAndConditionsOnPreviousText(String name) {
        JsonNode expected = expected(mels(name), "long");
        Result r = transcribe(model(name), audio(mels(name), "long"), greedy());
        assertSegments(expected.path("segments"), r, 1e-9);

        // Three windows of speech: the second and third start where the last complete segment ended.
        Set<Integer> seeks = new TreeSet<>();
        r.segments().forEach(s -> seeks.add(s.scores().seek()));
        int silent = (int) Math.round(expected.path("silent_window").asDouble() * 100);
        assertEquals(5, seeks.size() + 1, "windows with text: " + seeks + " (+ the silent one)");
        assertTrue(seeks.contains(0) && seeks.contains(silent + 3000), seeks.toString());
        for (Segment s : r.segments()) {
            assertFalse(s.start() >= silent / 100.0 && s.end() <= silent / 100.0 + 30, "nothing from the silent window: " + s);
        }
        // A window whose speech starts more than 1 s in gets <|0.00|> first (max_initial_timestamp).
        assertTrue(r.segments().stream().anyMatch(s -> s.scores().seek() > 0 && s.start() == s.scores().seek() / 100.0));

        // " Kafka" said in earlier windows is in the prompt, so the ambiguous tone is spelled " Kafka".
        List<Segment> last = r.segments().subList(r.segments().size() - 3, r.segments().size());
        assertEquals(" we talked about Kafka.", last.get(0).text());
        assertEquals(" we talked about Kafka.", last.get(2).text());
    }

    @Test
    void beamSearchGivesTheSameLongFormTranscript() {
        JsonNode expected = expected(128, "long");
        assertSegments(expected.path("segments"), transcribe(model("hf-large-v3-turbo"), audio(128, "long"), beam()), 1e-9);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"sherpa-base-int8|german|de| Guten Tag, Welt!| Good day, world!",
                "sherpa-large-v3|german|de| Guten Tag, Welt!| Good day, world!",
                "hf-tiny|french|fr| Bonjour le monde.| Hello the world.",
                "hf-large-v3-turbo|french|fr| Bonjour le monde.| Hello the world."})
    void detectsTheLanguageAndTranslates(String name, String audioName, String language, String original, String english) {
        Path wav = audio(mels(name), audioName);
        JsonNode expected = expected(mels(name), audioName);
        Result r = transcribe(model(name), wav, beam());
        assertEquals(language, r.language());
        assertEquals(languageProbability(name), r.languageProbability(), 1e-9);
        assertSegments(expected.path("segments"), r, 1e-9);
        assertEquals(original.strip(), r.text());

        Result translated = transcribe(model(name), wav, DecodingConfig.builder().task("translate").build());
        assertEquals(english.strip(), translated.text());
        assertEquals(language, translated.language());
        assertEquals(r.segments().get(0).end(), translated.segments().get(0).end());

        // A forced language is reported as given, without a probability.
        Result forced = transcribe(model(name), wav, DecodingConfig.builder().language("it").build());
        assertEquals("it", forced.language());
        assertTrue(Double.isNaN(forced.languageProbability()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-tiny.en", "sherpa-large-v3", "hf-tiny"})
    void thePromptChangesTheSpellingOfTheAmbiguousTone(String name) {
        JsonNode expected = expected(mels(name), "prompt");
        Path wav = audio(mels(name), "prompt");
        Result plain = transcribe(model(name), wav, beam());
        assertSegments(expected.path("segments"), plain, 1e-9);
        assertEquals("we talked about cube.", plain.text());
        Result prompted = transcribe(model(name), wav, DecodingConfig.builder().prompt("Kafka").build());
        assertSegments(expected.path("prompted"), prompted, 1e-9);
        assertEquals("we talked about Kafka.", prompted.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-tiny.en", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"})
    void greedyRepetitionFallsBackToSamplingAtTemperature02(String name) {
        JsonNode expected = expected(mels(name), "stutter");
        Result r = transcribe(model(name), audio(mels(name), "stutter"), greedy());
        assertEquals(expected.path("clean_text").asText().strip(), r.text(), WhisperTesting.describe(r));
        Segment s = r.segments().get(0);
        assertEquals(0.2, s.scores().temperature(), 1e-12, "greedy loops on ' la' (compression ratio ~12.8 > 2.4)");
        // One segment: it starts with the window and ends at its closing timestamp.
        assertEquals(0.0, s.start());
        assertEquals(expected.path("end").asDouble(), s.end(), 1e-9);
        // log P(first timestamp) = -log(e^0.1 + 50), the other 7 tokens and end-of-text ~0: over 9 tokens.
        assertEquals(-Math.log(Math.exp(0.1) + 50) / 9, s.scores().avgLogprob(), 1e-4);
        // Sampling is seeded: the same result again.
        assertEquals(WhisperTesting.describe(r), WhisperTesting.describe(transcribe(model(name), audio(mels(name), "stutter"), greedy())));
    }

    @Test
    void beamSearchFindsTheCleanTextAtTemperatureZero() {
        Result r = transcribe(model("hf-tiny"), audio(80, "stutter"), beam());
        assertEquals("one two, one two.", r.text());
        assertEquals(0.0, r.segments().get(0).scores().temperature());
    }

    @Test
    void aSilentWindowHallucinatesWithHighNoSpeechProbabilityAndIsDropped() {
        try (var engine = (WhisperEngine) WhisperEngine.load(model("sherpa-large-v3"), WhisperTesting.RUNTIME, greedy())) {
            DecodeResult silent = engine.decodeWindow(new float[16000 * 5]);
            // The hallucination " Thank you." with four rivals per token: log(e^0.5 / (e^0.5 + 4)) per token.
            assertEquals("Thank you.", silent.text());
            assertEquals(Math.log(Math.exp(0.5) / (Math.exp(0.5) + 4)), silent.avgLogprob(), 1e-4);
            // <|nospeech|> gets logit 16 after <|startoftranscript|>: e^16 / (e^16 + e^8 + 99 + ...)
            assertEquals(Math.exp(16) / (Math.exp(16) + Math.exp(8) + 99), silent.noSpeechProb(), 1e-6);
            assertTrue(silent.isSilence(WhisperSettings.defaults(1)));
            assertFalse(silent.needsFallback(WhisperSettings.defaults(1)), "silence is not retried");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-tiny.en", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"})
    void silenceWavGivesNothingWithOrWithoutVad(String name) {
        Path silence = TestData.shared().resolve("audio/special/silence.wav");
        for (boolean vad : new boolean[] {false, true}) {
            Result r = transcribe(model(name), silence, DecodingConfig.builder().vad(vad).build());
            assertEquals("", r.text(), WhisperTesting.describe(r));
            assertEquals(List.of(), r.segments());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sherpa-large-v3", "hf-large-v3-turbo"})
    void vadModeDecodesTheSpeechWindowsAsOneBatch(String name) {
        JsonNode expected = expected(128, "vad-speech");
        Result r = transcribe(model(name), audio(128, "vad-speech"), DecodingConfig.builder().vad(true).build());
        // VAD windows start anywhere: timestamps are exact to one 20 ms step.
        assertSegments(expected.path("segments"), r, 0.021);
        // Two windows: the first two regions share one (10 s of silence inside), the last has its own.
        Set<Integer> windows = new TreeSet<>();
        r.segments().forEach(s -> windows.add(s.scores().seek()));
        assertEquals(2, windows.size(), windows.toString());
        // Windows are independent: no previous text, so the ambiguous tone stays " cube".
        assertTrue(r.text().contains("we talked about cube."));
        assertEquals("en", r.language());
    }

    @Test
    void tinyBlocksAndOneBlockGiveTheSameTranscript() {
        try (Engine engine = WhisperEngine.load(model("hf-tiny"), WhisperTesting.RUNTIME, greedy())) {
            String whole = WhisperTesting.describe(WhisperTesting.transcribe(engine, audio(80, "long"), Integer.MAX_VALUE));
            String small = WhisperTesting.describe(WhisperTesting.transcribe(engine, audio(80, "long"), 997));
            assertEquals(whole, small);
        }
    }

    @Test
    void memoryStaysBoundedOnLongInput() throws Exception {
        float[] samples = TestData.readWav(audio(128, "long")).samples();
        try (Engine engine = WhisperEngine.load(model("sherpa-large-v3"), WhisperTesting.RUNTIME, greedy())) {
            WhisperStream stream = (WhisperStream) engine.newStream(StreamOptions.DEFAULT);
            long most = 0;
            for (int pos = 0; pos < samples.length; pos += 4000) {
                stream.acceptWaveform(samples, pos, Math.min(4000, samples.length - pos));
                while (stream.isReady()) engine.decode(List.of(stream));
                most = Math.max(most, stream.bufferedSamples());
            }
            // One window (30 s) plus what arrived while it was waiting for its last samples.
            assertTrue(most <= 16000 * 31, "kept " + most / 16000.0 + " s of " + samples.length / 16000.0 + " s");
        }
    }

    @Test
    void vadModeMemoryStaysBoundedThroughLongSilence() throws Exception {
        float[] speech = TestData.readWav(audio(128, "vad-speech")).samples();
        float[] silence = new float[16000 * 240];
        try (Engine engine = WhisperEngine.load(model("hf-large-v3-turbo"), WhisperTesting.RUNTIME,
                DecodingConfig.builder().vad(true).build(), WhisperTesting.vadModel(DecodingConfig.builder().vad(true).build()))) {
            WhisperStream stream = (WhisperStream) engine.newStream(StreamOptions.DEFAULT);
            long most = 0;
            for (float[] part : new float[][] {speech, silence, speech}) {
                for (int pos = 0; pos < part.length; pos += 8000) {
                    stream.acceptWaveform(part, pos, Math.min(8000, part.length - pos));
                    while (stream.isReady()) engine.decode(List.of(stream));
                    most = Math.max(most, stream.bufferedSamples());
                }
            }
            stream.inputFinished();
            while (!stream.isDone()) engine.decode(List.of(stream));
            // Windows wait for a batch of 8 (4 here), each a copy of its speech; silence is not kept.
            assertTrue(most <= 16000 * 70, "kept " + most / 16000.0 + " s");
            assertEquals(12, stream.result().segments().size());
        }
    }

    @Test
    void oneDecodeCallBatchesTheWindowsOfSeveralStreams() throws Exception {
        try (Engine engine = WhisperEngine.load(model("hf-large-v3-turbo"), WhisperTesting.RUNTIME, beam())) {
            List<EngineStream> streams = new ArrayList<>();
            for (String name : List.of("german", "french", "two-segments")) {
                EngineStream s = engine.newStream(StreamOptions.language("auto"));
                float[] samples = TestData.readWav(audio(128, name)).samples();
                s.acceptWaveform(samples, 0, samples.length);
                s.inputFinished();
                streams.add(s);
            }
            while (streams.stream().anyMatch(s -> !s.isDone())) {
                engine.decode(streams.stream().filter(EngineStream::isReady).toList());
            }
            assertEquals(List.of("Guten Tag, Welt!", "Bonjour le monde.", "Hello world. The cat sat on the mat."),
                    streams.stream().map(s -> s.result().text()).toList());
            assertEquals(List.of("de", "fr", "en"), streams.stream().map(s -> s.result().language()).toList());
        }
    }

    @Test
    void modelInfoDescribesTheModel() {
        try (Engine engine = WhisperEngine.load(model("sherpa-large-v3"), WhisperTesting.RUNTIME, beam())) {
            assertEquals("whisper", engine.info().family());
            assertEquals("sherpa-large-v3", engine.info().name());
            assertEquals(100, engine.info().languages().size());
            assertEquals("yue", engine.info().languages().get(99));
            assertEquals("CPUExecutionProvider", engine.info().provider());
        }
        try (Engine engine = WhisperEngine.load(model("sherpa-tiny.en"), WhisperTesting.RUNTIME, beam())) {
            assertEquals(List.of(), engine.info().languages());
        }
    }
}
