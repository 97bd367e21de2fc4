package dev.sotto.recognizer;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Modified beam search (beam 4) drives NeMo's prediction network and joint as well as the
 * Zipformer's: blank is the last id there. The synthetic Nemotron exports decode
 * tone-coded speech exactly (see NemoStreamingTest), so the beam must find the same text.
 */
class NemoBeamSearchTest {
    @ParameterizedTest
    @ValueSource(ints = {160, 1120})
    void beamSearchFindsTheSpokenTokens(int chunkMs) {
        ModelConfig model = ModelConfig.builder(TestData.testModels().resolve("nemotron-en")).chunkMs(chunkMs).build();
        try (Recognizer recognizer = Recognizer.create(RecognizerConfig.builder(model)
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build())
                .decoding(DecodingConfig.builder().beamSize(4).build()).build())) {
            for (String name : List.of("en-fox", "en-hello", "en-repeats", "en-endpoints")) {
                SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                Result result = NemoStreamingTest.decode(recognizer, speech.samples(), 1234);
                assertEquals(speech.text(), result.text(), name + " @ " + chunkMs + " ms");
                for (int i = 0; i < result.tokens().size(); i++) {
                    assertEquals(speech.starts().get(i), result.tokens().get(i).start(), 1e-9, name + " token " + i);
                }
            }
        }
    }
}
