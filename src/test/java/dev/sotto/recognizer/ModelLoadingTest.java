package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing an export from a family directory, and the errors users get for bad model directories. */
class ModelLoadingTest {
    static final Path EN = TestData.testModels().resolve("nemotron-en");
    static final Path ML = TestData.testModels().resolve("nemotron-multilingual");

    static Recognizer load(ModelConfig model) {
        return Recognizer.create(RecognizerConfig.builder(model)
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build()).build());
    }

    static int chunkOf(ModelConfig model) {
        try (Recognizer r = load(model)) {
            return r.info().chunkMs();
        }
    }

    static String error(ModelConfig model) {
        return assertThrows(SottoException.class, () -> load(model).close()).getMessage();
    }

    @Test
    void accelerationNamesPickTheChunkSize() {
        assertEquals(1120, chunkOf(ModelConfig.builder(EN).build()), "default: the 1120 ms export");
        assertEquals(1120, chunkOf(ModelConfig.builder(EN).acceleration("none").build()));
        assertEquals(560, chunkOf(ModelConfig.builder(EN).acceleration("low").build()));
        assertEquals(160, chunkOf(ModelConfig.builder(EN).acceleration("medium").build()));
        assertEquals(80, chunkOf(ModelConfig.builder(EN).acceleration("HIGH").build()));
        assertEquals(560, chunkOf(ModelConfig.builder(ML).acceleration("regular").build()));
        assertEquals(320, chunkOf(ModelConfig.builder(ML).acceleration("high").build()));
        assertEquals(80, chunkOf(ModelConfig.builder(ML).acceleration("full").build()));
        assertEquals(80, chunkOf(ModelConfig.builder(EN).chunkMs(80).acceleration("none").build()), "--chunk-ms wins");
        assertEquals(160, chunkOf(ModelConfig.builder(EN.resolve("160ms")).chunkMs(160).build()));
    }

    @Test
    void aMissingChunkSizeListsTheSizesThereAre() {
        String message = error(ModelConfig.builder(EN).chunkMs(320).build());
        assertTrue(message.contains("no 320 ms export"), message);
        assertTrue(message.contains("80 ms (high), 160 ms (medium), 560 ms (low), 1120 ms (none)"), message);
        message = error(ModelConfig.builder(ML).chunkMs(160).build());
        assertTrue(message.contains("80 ms (full), 320 ms (high), 560 ms (regular), 1120 ms (none)"), message);
        message = error(ModelConfig.builder(EN).acceleration("regular").build());
        assertTrue(message.contains("unknown acceleration 'regular'") && message.contains("medium = 160 ms"), message);
        message = error(ModelConfig.builder(EN.resolve("80ms")).chunkMs(560).build());
        assertTrue(message.contains("single 80 ms export"), message);
    }

    @Test
    void badDirectoriesSayWhatIsWrong(@TempDir Path tmp) throws IOException {
        assertTrue(error(ModelConfig.builder(tmp.resolve("nope")).build()).contains("no such model directory"));
        Path file = Files.writeString(tmp.resolve("model.onnx"), "x");
        assertTrue(error(ModelConfig.builder(file).build()).contains("is a file"));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        String message = error(ModelConfig.builder(empty).build());
        assertTrue(message.contains("not a model directory Sotto recognises") && message.contains("(empty directory)"), message);
    }

    @Test
    void missingOrForeignTokensAreReported(@TempDir Path tmp) throws IOException {
        Path model = copy(EN.resolve("80ms"), tmp.resolve("m"));
        Files.delete(model.resolve("tokens.txt"));
        assertTrue(error(ModelConfig.builder(model).build()).contains("tokens.txt is missing"));
        Files.copy(ML.resolve("80ms/tokens.txt"), model.resolve("tokens.txt"));
        String message = error(ModelConfig.builder(model).build());
        assertTrue(message.contains("13089 tokens, but the encoder's vocab_size is 1024"), message);
    }

    @Test
    void aWrongSignatureNamesTheFileAndTheTensor(@TempDir Path tmp) throws IOException {
        Path model = copy(EN.resolve("80ms"), tmp.resolve("m"));
        Files.copy(model.resolve("joiner.onnx"), model.resolve("decoder.onnx"), StandardCopyOption.REPLACE_EXISTING);
        String message = error(ModelConfig.builder(model).build());
        assertTrue(message.contains("decoder.onnx") && message.contains("expected 4 inputs")
                && message.contains("encoder_outputs"), message);
        Files.copy(EN.resolve("80ms/decoder.onnx"), model.resolve("decoder.onnx"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(ML.resolve("80ms/joiner.int8.onnx"), model.resolve("joiner.onnx"), StandardCopyOption.REPLACE_EXISTING);
        message = error(ModelConfig.builder(model).build());
        assertTrue(message.contains("joiner.onnx: the joint outputs 13089 logits but the encoder's vocab_size is 1024"),
                message);
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }
}
