package dev.sotto.recognizer;

import static dev.sotto.recognizer.NemoStreamingTest.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.EndpointConfig;
import dev.sotto.engine.Result;
import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CTC head of a cache-aware streaming model (sherpa-onnx's export-onnx-ctc.py layout:
 * one {@code model.onnx}, out[0] log-probabilities, out[2..4] the next caches) in the
 * streaming engine, at two chunk sizes, with greedy and prefix beam search.
 */
class NemoStreamingCtcTest {
    static final Path FAMILY = TestData.testModels().resolve("nemo-ctc-streaming");
    static final List<String> CLIPS = List.of("en-fox", "en-hello", "en-repeats", "en-endpoints", "en-long");

    static Recognizer recognizer(int chunkMs, int beam, EndpointConfig endpoint) {
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(FAMILY).chunkMs(chunkMs).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build())
                .decoding(DecodingConfig.builder().beamSize(beam).build()).endpoint(endpoint).build());
    }

    static void assertExact(SyntheticSpeech speech, Result result, String what) {
        assertEquals(speech.text(), result.text(), what);
        assertEquals(speech.tokens().size(), result.tokens().size(), what);
        for (int i = 0; i < result.tokens().size(); i++) {
            assertEquals(speech.starts().get(i), result.tokens().get(i).start(), 1e-9, what + " token " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {160, 560})
    void greedyAndBeamSearchDecodeExactlyAtBothChunkSizes(int chunkMs) {
        assertEquals(List.of(160, 560), Recognizer.chunkSizes(FAMILY));
        for (int beam : new int[] {1, 4}) {
            try (Recognizer r = recognizer(chunkMs, beam, EndpointConfig.DEFAULT)) {
                assertEquals("nemo-streaming-ctc", r.info().family());
                assertEquals(chunkMs, r.info().chunkMs());
                for (String name : CLIPS) {
                    SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                    assertExact(speech, decode(r, speech.samples(), 1234), name + " @ " + chunkMs + " ms, beam " + beam);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {160, 560})
    void streamsDecodedTogetherEqualStreamsDecodedAlone(int chunkMs) {
        try (Recognizer r = recognizer(chunkMs, 1, EndpointConfig.DEFAULT)) {
            List<RecognitionStream> streams = new ArrayList<>();
            for (String name : CLIPS) {
                RecognitionStream s = r.createStream();
                s.acceptWaveform(SyntheticSpeech.nemo(name).samples());
                s.inputFinished();
                streams.add(s);
            }
            while (streams.stream().anyMatch(r::isReady)) r.decode(streams);
            for (int i = 0; i < CLIPS.size(); i++) {
                assertExact(SyntheticSpeech.nemo(CLIPS.get(i)), r.getResult(streams.get(i)), CLIPS.get(i) + " batched");
                streams.get(i).close();
            }
        }
    }

    /** Guards the test model: with its caches reset at every chunk it must go wrong. */
    @ParameterizedTest
    @ValueSource(ints = {160, 560})
    void withoutFedBackCachesTheSyntheticModelGoesWrong(int chunkMs) {
        EndpointConfig everyChunk = EndpointConfig.builder().maxUtterance(1e-9).resetAtEndpoint(true).build();
        SyntheticSpeech speech = SyntheticSpeech.nemo("en-hello");
        try (Recognizer r = recognizer(chunkMs, 1, everyChunk)) {
            assertNotEquals(speech.text(), decode(r, speech.samples(), 4000).text());
        }
    }
}
