package dev.sotto.recognizer;

import dev.sotto.engine.Result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end on the synthetic Nemotron exports (models/synth_nemo.py): audio → NeMo mel →
 * cache-aware encoder → RNN-T greedy → text, at every chunk size. The synthetic models
 * decode tone-coded speech exactly, so transcripts and token times are asserted exactly.
 */
class NemoStreamingTest {
    static Recognizer recognizer(Path dir, int chunkMs) {
        ModelConfig model = ModelConfig.builder(dir).chunkMs(chunkMs).build();
        return Recognizer.create(RecognizerConfig.builder(model)
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build()).build());
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

    @ParameterizedTest
    @ValueSource(ints = {80, 160, 560, 1120})
    void englishTranscriptsAndTimesAreExactAtEveryChunkSize(int chunkMs) {
        try (Recognizer recognizer = recognizer(TestData.testModels().resolve("nemotron-en"), chunkMs)) {
            assertEquals(chunkMs, recognizer.info().chunkMs());
            for (String name : List.of("en-fox", "en-hello", "en-repeats", "en-endpoints", "en-long")) {
                SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                Result result = decode(recognizer, speech.samples(), 1234);
                assertEquals(speech.text(), result.text(), name + " @ " + chunkMs + " ms");
                assertEquals(speech.tokens().size(), result.tokens().size(), name);
                for (int i = 0; i < result.tokens().size(); i++) {
                    assertEquals(speech.starts().get(i), result.tokens().get(i).start(), 1e-9, name + " token " + i);
                }
            }
        }
    }
}
