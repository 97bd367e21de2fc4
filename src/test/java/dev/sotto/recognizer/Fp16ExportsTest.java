package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.Result;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16 exports whose float inputs and outputs are float16 (models/synth_*.py, half_io): they
 * load and decode exactly as their fp32 twins on the CPU, through the conversions at the
 * session boundary (inputs, pinned encoder caches, LSTM states, logits).
 */
class Fp16ExportsTest {
    static final Path NEMO = TestData.testModels().resolve("nemotron-en-fp16");
    static final Path WHISPER = TestData.testModels().resolve("whisper/hf-tiny-fp16");

    static Recognizer cpu(Path dir) {
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(dir).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build()).build());
    }

    @Test
    void theSyntheticExportsReallyHaveFloat16InputsAndOutputs() {
        Runtime runtime = Runtime.create(Device.CPU, 1);
        for (Path file : List.of(NEMO.resolve("encoder.fp16.onnx"), NEMO.resolve("decoder.fp16.onnx"),
                NEMO.resolve("joiner.fp16.onnx"), WHISPER.resolve("onnx/encoder_model_fp16.onnx"))) {
            try (OnnxModel model = runtime.open(file)) {
                assertTrue(model.halfPrecisionIo(), file + " declares float16 inputs or outputs");
            }
        }
    }

    @Test
    void nemoFp16ExportDecodesExactly() {
        try (Recognizer recognizer = cpu(NEMO)) {
            assertEquals(160, recognizer.info().chunkMs());
            for (String name : List.of("en-fox", "en-hello", "en-repeats", "en-endpoints")) {
                SyntheticSpeech speech = SyntheticSpeech.nemo(name);
                Result result = NemoStreamingTest.decode(recognizer, speech.samples(), 1234);
                assertEquals(speech.text(), result.text(), name);
                for (int i = 0; i < result.tokens().size(); i++) {
                    assertEquals(speech.starts().get(i), result.tokens().get(i).start(), 1e-9, name + " token " + i);
                }
            }
        }
    }

    @Test
    void whisperFp16ExportDecodesLikeItsFp32Twin() throws IOException {
        Path audio = TestData.testModels().resolve("whisper/whisper-audio/mel80");
        try (Recognizer recognizer = cpu(WHISPER)) {
            for (String[] c : new String[][] {{"two-segments", "Hello world. The cat sat on the mat."},
                    {"french", "Bonjour le monde."}}) {
                float[] samples = TestData.readWav(audio.resolve(c[0] + ".wav")).samples();
                assertEquals(c[1], NemoStreamingTest.decode(recognizer, samples, 16000).text(), c[0]);
            }
        }
    }

    @Test
    void precisionsArePickedPerDevice(@TempDir Path dir) throws IOException {
        for (String f : List.of("encoder.onnx", "encoder.int8.onnx", "encoder.fp16.onnx")) Files.writeString(dir.resolve(f), "");
        assertEquals("encoder.int8.onnx", pick(dir, false, true));
        assertEquals("encoder.onnx", pick(dir, false, false));
        assertEquals("encoder.fp16.onnx", pick(dir, true, true), "fp16 first on a GPU");
        Files.delete(dir.resolve("encoder.fp16.onnx"));
        assertEquals("encoder.onnx", pick(dir, true, true), "then fp32");
        Files.delete(dir.resolve("encoder.onnx"));
        Files.delete(dir.resolve("encoder.int8.onnx"));
        Files.writeString(dir.resolve("encoder-epoch-99-avg-1.fp16.onnx"), "");
        assertEquals("encoder-epoch-99-avg-1.fp16.onnx", pick(dir, false, true), "icefall names; fp16 as the only one");
    }

    private static String pick(Path dir, boolean gpu, boolean int8OnCpu) {
        return ModelFiles.pick(dir, "encoder", ModelFiles.preference(gpu, int8OnCpu)).getFileName().toString();
    }
}
