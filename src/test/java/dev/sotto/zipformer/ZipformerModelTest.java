package dev.sotto.zipformer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import dev.sotto.SottoException;
import dev.sotto.decode.TransducerModel;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.engine.StreamingEncoder;
import dev.sotto.engine.StreamingTransducer;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the real Zipformer in ../shared: detection, geometry from the metadata, and errors. */
class ZipformerModelTest {
    private static final Path MODEL = SharedZipformer.modelDir();

    @TempDir
    Path temp;

    /** A model directory in {@code temp} whose files link to the shared model's, file name → shared file name. */
    private Path modelWith(Map<String, String> files) throws IOException {
        Path dir = Files.createDirectory(temp.resolve("model"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createSymbolicLink(dir.resolve(f.getKey()), MODEL.resolve(f.getValue()));
        }
        return dir;
    }

    @Test
    void detectsZipformerDirectoriesFromTheEncoderMetadata() {
        assertTrue(ZipformerModel.looksLikeZipformer(MODEL));
        assertFalse(ZipformerModel.looksLikeZipformer(TestData.testModels().resolve("nemotron-en-layer-first")));
        assertFalse(ZipformerModel.looksLikeZipformer(temp));
    }

    @Test
    void chunkGeometryAndStatesComeFromTheMetadata() {
        Runtime runtime = Runtime.create(Device.CPU, 1);
        StreamingTransducer model = ZipformerModel.load(MODEL, runtime);
        try {
            StreamingEncoder encoder = model.encoder();
            TransducerModel transducer = model.transducer();
            assertAll(
                    () -> assertEquals("zipformer-transducer", model.family()),
                    () -> assertEquals(320, model.chunkMs(), "decode_chunk_len 32 frames of 10 ms"),
                    () -> assertEquals(45, encoder.windowFrames(), "T"),
                    () -> assertEquals(32, encoder.shiftFrames(), "decode_chunk_len"),
                    () -> assertEquals(80, encoder.featureDim()),
                    () -> assertEquals(0.04, encoder.frameSeconds()),
                    () -> assertEquals(8000, encoder.leadingSilenceSamples()),
                    () -> assertEquals(0, transducer.blankId()),
                    () -> assertEquals(500, transducer.vocabSize()),
                    () -> assertEquals(1, transducer.maxSymbolsPerFrame()),
                    () -> assertEquals(500, model.vocabulary().size()),
                    () -> assertEquals(List.of(), encoder.languages()),
                    // On the CPU: the int8 encoder, the fp32 decoder and joiner (see ZipformerModel).
                    () -> assertEquals("encoder.int8.onnx", ((ZipformerEncoder) encoder).file().getFileName().toString()),
                    () -> assertEquals(List.of("decoder.onnx", "joiner.onnx"), model.resources().stream()
                            .map(r -> ((OnnxModel) r).file().getFileName().toString()).toList()));
        } finally {
            model.encoder().close();
            for (AutoCloseable r : model.resources()) {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void cacheLayoutFollowsSherpaOnnx() {
        Runtime runtime = Runtime.create(Device.CPU, 1);
        try (OnnxModel encoder = runtime.open(MODEL.resolve("encoder.int8.onnx"))) {
            List<CacheLayout.Cache> caches = CacheLayout.fromMetadata(encoder, 80).caches();
            assertEquals(6 * 6 + 2, caches.size(), "6 per layer, 6 stacks of 1 layer, embed_states, processed_lens");
            assertEquals(List.of(64L, 1L, 128L), List.of(boxed(caches.get(0).shape())), "keys: left 64, 32·4 dims");
            assertEquals(List.of(1L, 1L, 64L, 96L), List.of(boxed(caches.get(1).shape())), "non-linear attention: 3·128/4");
            assertEquals(List.of(64L, 1L, 48L), List.of(boxed(caches.get(2).shape())), "values: 12·4");
            assertEquals(List.of(1L, 128L, 15L), List.of(boxed(caches.get(4).shape())), "convolution: kernel 31 / 2");
            assertEquals(List.of(8L, 1L, 256L), List.of(boxed(caches.get(18).shape())), "stack 3: left 8, 32·8 dims");
            assertEquals(List.of(1L, 128L, 3L, 19L), List.of(boxed(caches.get(36).shape())), "embed_states");
            assertEquals(OnnxJavaType.INT64, caches.get(37).type(), "processed_lens");
            for (int i = 0; i < caches.size(); i++) {
                assertEquals(List.of(boxed(caches.get(i).shape())), List.of(boxed(encoder.inputs().get(i + 1).shape())),
                        "input " + encoder.inputs().get(i + 1).name());
            }
        }
    }

    private static Long[] boxed(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toArray(Long[]::new);
    }

    @Test
    void thePublishedInt8EncoderFailsAtLoadNamingTheFileAndTheNode() {
        Runtime runtime = Runtime.create(Device.CPU, 1);
        Path broken = MODEL.resolve("encoder.int8.broken.onnx");
        try (OnnxModel model = runtime.open(broken)) {
            SottoException e = assertThrows(SottoException.class, () -> new ZipformerEncoder(model));
            assertTrue(e.getMessage().startsWith(broken + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("node '/downsample/Reshape_1' (Reshape)"), e.getMessage());
            assertTrue(e.getMessage().contains("Input shape:{17,1,128}, requested shape:{8,2,1,128}"), e.getMessage());
            assertFalse(e.getMessage().contains("onnxruntime_src"), "no ORT source locations: " + e.getMessage());
        }
    }

    @Test
    void aBrokenEncoderInAModelDirectoryFailsWhenTheRecognizerIsCreated() throws IOException {
        Path dir = modelWith(Map.of("encoder.int8.onnx", "encoder.int8.broken.onnx", "decoder.onnx", "decoder.onnx",
                "joiner.onnx", "joiner.onnx", "tokens.txt", "tokens.txt"));
        SottoException e = assertThrows(SottoException.class, () -> SharedZipformer.recognizer(dir, 1).close());
        assertTrue(e.getMessage().startsWith(dir.resolve("encoder.int8.onnx") + ": ONNX Runtime cannot run this encoder: "
                + "node '/downsample/Reshape_1' (Reshape) fails"), e.getMessage());
    }

    @Test
    void aDecoderThatIsNotOneSaysWhichTensorsItHas() throws IOException {
        Path dir = modelWith(Map.of("encoder.int8.onnx", "encoder.int8.onnx", "decoder.onnx", "joiner.onnx",
                "joiner.onnx", "joiner.onnx", "tokens.txt", "tokens.txt"));
        SottoException e = assertThrows(SottoException.class, () -> SharedZipformer.recognizer(dir, 1).close());
        assertTrue(e.getMessage().startsWith(dir.resolve("decoder.onnx") + ": expected 1 inputs (y, the last context_size "
                + "tokens), but the model has 2: [encoder_out float32 [?, 320], decoder_out float32 [?, 320]]"), e.getMessage());
    }

    @Test
    void aTokenListOfAnotherModelIsRejected() throws IOException {
        Path dir = modelWith(Map.of("encoder.int8.onnx", "encoder.int8.onnx", "decoder.onnx", "decoder.onnx",
                "joiner.onnx", "joiner.onnx"));
        List<String> tokens = Files.readAllLines(MODEL.resolve("tokens.txt"));
        Files.write(dir.resolve("tokens.txt"), tokens.subList(0, 499));
        SottoException e = assertThrows(SottoException.class, () -> SharedZipformer.recognizer(dir, 1).close());
        assertEquals(dir.resolve("tokens.txt") + ": 499 tokens, but the decoder's vocab_size is 500. Is it the tokens.txt "
                + "of this model?", e.getMessage());
    }

    @Test
    void aMissingTokenListIsNamed() throws IOException {
        Path dir = modelWith(Map.of("encoder.int8.onnx", "encoder.int8.onnx", "decoder.onnx", "decoder.onnx",
                "joiner.onnx", "joiner.onnx"));
        SottoException e = assertThrows(SottoException.class, () -> SharedZipformer.recognizer(dir, 1).close());
        assertTrue(e.getMessage().contains("tokens.txt is missing"), e.getMessage());
    }
}
