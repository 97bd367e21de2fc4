package dev.sotto.recognizer;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.EndpointConfig;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import static dev.sotto.recognizer.NemoStreamingTest.decode;
import static dev.sotto.recognizer.NemoStreamingTest.recognizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.audio.Resampler;
import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Languages, layouts, batching and endpoints of the NeMo streaming engine, on the synthetic exports. */
class NemoFeaturesTest {
    static final Path EN = TestData.testModels().resolve("nemotron-en");
    static final Path ML = TestData.testModels().resolve("nemotron-multilingual");

    static Recognizer recognizer(Path dir, int chunkMs, String language, EndpointConfig endpoint) {
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(dir).chunkMs(chunkMs).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build())
                .decoding(DecodingConfig.builder().language(language).build())
                .endpoint(endpoint).build());
    }

    @Test
    void multilingualDetectsTheLanguageAndDropsTheTagFromTheText() {
        for (int ms : new int[] {80, 320, 1120}) {
            try (Recognizer r = recognizer(ML, ms)) {
                assertEquals(40, r.info().languages().size());
                for (String name : List.of("ml-de", "ml-ja", "ml-fr")) {
                    SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                    Result result = decode(r, speech.samples(), 4000);
                    assertEquals(speech.text(), result.text(), name + " @ " + ms);
                    assertEquals(speech.language(), result.language(), name);
                    assertTrue(result.tokens().stream().noneMatch(t -> t.text().startsWith("<")), "tags are not tokens of the text");
                }
            }
        }
        assertEquals("こんにちは世界。", SyntheticSpeech.nemo("ml-ja").text());
    }

    @Test
    void aForcedLanguageIsFedAsThePromptAndReported() {
        SyntheticSpeech german = SyntheticSpeech.nemo("ml-de");
        for (String asked : List.of("fr-FR", "fr", "FR-fr")) {
            try (Recognizer r = recognizer(ML, 560, asked, EndpointConfig.DEFAULT)) {
                Result result = decode(r, german.samples(), 4000);
                assertEquals("fr-FR", result.language(), "the model emits the tag of the prompt it was given");
                assertEquals(german.text(), result.text());
            }
        }
        try (Recognizer r = recognizer(ML, 560, "de", EndpointConfig.DEFAULT)) {
            assertEquals("de-DE", decode(r, german.samples(), 4000).language());
        }
    }

    @Test
    void anUnknownLanguageListsTheModelsLanguages() {
        try (Recognizer r = recognizer(ML, 560)) {
            SottoException e = assertThrows(SottoException.class, () -> r.createStream("xx-YY"));
            assertTrue(e.getMessage().contains("language 'xx-YY'") && e.getMessage().contains("de-DE"), e.getMessage());
        }
    }

    @Test
    void monolingualModelsReportNoLanguage() {
        try (Recognizer r = recognizer(EN, 160)) {
            assertTrue(r.info().languages().isEmpty());
            assertNull(decode(r, SyntheticSpeech.nemo("en-fox").samples(), 4000).language());
        }
    }

    @Test
    void layerFirstCachesAreDetectedAndGiveTheSameTranscript() {
        try (Recognizer r = recognizer(TestData.testModels().resolve("nemotron-en-layer-first"), 0)) {
            for (String name : List.of("en-fox", "en-hello", "en-long")) {
                SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                assertEquals(speech.text(), decode(r, speech.samples(), 3000).text(), name);
            }
        }
    }

    @Test
    void manyStreamsDecodedInOneBatchEqualTheirSingleResults() {
        List<SyntheticSpeech> clips = List.of(SyntheticSpeech.nemo("en-fox"), SyntheticSpeech.nemo("en-hello"),
                SyntheticSpeech.nemo("en-repeats"), SyntheticSpeech.nemo("en-long"));
        for (int ms : new int[] {80, 560}) {
            try (Recognizer r = recognizer(EN, ms)) {
                List<RecognitionStream> streams = new ArrayList<>();
                List<float[]> audio = new ArrayList<>();
                for (SyntheticSpeech c : clips) {
                    streams.add(r.createStream());
                    audio.add(c.samples());
                }
                int[] pos = new int[clips.size()];
                boolean more = true;
                while (more) {
                    more = false;
                    for (int i = 0; i < clips.size(); i++) {
                        float[] a = audio.get(i);
                        if (pos[i] < a.length) {
                            int n = Math.min(2200 + 300 * i, a.length - pos[i]);
                            streams.get(i).acceptWaveform(a, pos[i], n);
                            pos[i] += n;
                            if (pos[i] == a.length) streams.get(i).inputFinished();
                            more = true;
                        }
                    }
                    while (streams.stream().anyMatch(r::isReady)) r.decode(streams);
                }
                for (int i = 0; i < clips.size(); i++) {
                    assertTrue(r.isDone(streams.get(i)));
                    assertEquals(clips.get(i).text(), r.getResult(streams.get(i)).text(), clips.get(i).name() + " in a batch");
                    streams.get(i).close();
                }
            }
        }
    }

    @Test
    void endpointsCloseSegmentsAtPausesWithTheCachesKept() {
        SyntheticSpeech speech = SyntheticSpeech.nemo("en-endpoints");
        for (boolean reset : new boolean[] {false, true}) {
            EndpointConfig endpoint = EndpointConfig.builder().resetAtEndpoint(reset).build();
            try (Recognizer r = recognizer(EN, 160, "auto", endpoint)) {
                Result result = decode(r, speech.samples(), 1600);
                assertEquals(speech.text(), result.text());
                List<String> texts = result.segments().stream().map(Segment::text).toList();
                assertEquals(List.of("The cat sat on a mat.", "we talked for hours about it", "one two"), texts);
                assertTrue(result.segments().stream().allMatch(Segment::isFinal));
                Segment second = result.segments().get(1);
                assertEquals(result.tokens().stream().filter(t -> t.text().equals(" we")).findFirst().orElseThrow().start(),
                        second.start(), 1e-9);
                assertTrue(second.end() > second.start() && second.end() <= result.segments().get(2).start());
            }
        }
    }

    @Test
    void partialResultsGrowWhileStreaming() {
        SyntheticSpeech speech = SyntheticSpeech.nemo("en-fox");
        float[] samples = speech.samples();
        try (Recognizer r = recognizer(EN, 80); RecognitionStream s = r.createStream()) {
            List<String> partials = new ArrayList<>();
            for (int pos = 0; pos < samples.length; pos += 1280) {
                s.acceptWaveform(samples, pos, Math.min(1280, samples.length - pos));
                while (r.isReady(s)) r.decode(s);
                String text = r.getResult(s).text();
                if (partials.isEmpty() || !partials.get(partials.size() - 1).equals(text)) partials.add(text);
            }
            s.inputFinished();
            while (r.isReady(s)) r.decode(s);
            assertTrue(partials.size() >= 9, "one partial per word: " + partials);
            assertEquals("the quick", partials.get(2));
            assertTrue(r.getResult(s).isFinal());
            assertEquals(speech.text(), r.getResult(s).text());
        }
    }

    /**
     * Guards the test model itself: with the caches and decoder state reset at every chunk
     * (not fed back) the synthetic model must give a wrong transcript, or the exact-transcript
     * tests would not prove the engine feeds them back.
     */
    @Test
    void withoutFedBackStateTheSyntheticModelGoesWrong() {
        EndpointConfig everyChunk = EndpointConfig.builder().maxUtterance(1e-9).resetAtEndpoint(true).build();
        SyntheticSpeech speech = SyntheticSpeech.nemo("en-hello");
        for (int ms : new int[] {80, 160, 560}) {
            try (Recognizer r = recognizer(EN, ms, "auto", everyChunk)) {
                assertNotEquals(speech.text(), decode(r, speech.samples(), 4000).text(), "@ " + ms + " ms");
            }
        }
    }

    @Test
    void audioAtAnotherRateIsResampledByTheStream() {
        SyntheticSpeech speech = SyntheticSpeech.nemo("en-hello");
        Resampler up = new Resampler(16000, 44100);
        float[] head = up.process(speech.samples());
        float[] tail = up.flush();
        float[] at44k = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, at44k, head.length, tail.length);
        try (Recognizer r = recognizer(EN, 160); RecognitionStream s = r.createStream()) {
            for (int pos = 0; pos < at44k.length; pos += 4410) {
                s.acceptWaveform(java.util.Arrays.copyOfRange(at44k, pos, Math.min(at44k.length, pos + 4410)), 44100);
                while (r.isReady(s)) r.decode(s);
            }
            s.inputFinished();
            while (r.isReady(s)) r.decode(s);
            assertEquals(speech.text(), r.getResult(s).text());
            assertEquals(speech.duration(), s.secondsAccepted(), 0.01);
        }
    }

    static Recognizer recognizer(Path dir, int chunkMs) {
        return recognizer(dir, chunkMs, "auto", EndpointConfig.DEFAULT);
    }
}
