package dev.sotto.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.runtime.cuda.CudaOptions;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's optimised graphs kept between runs: written once, loaded after, never a different answer. */
class OptimizedModelCacheTest {
    private static final Path ZIPFORMER = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");

    @TempDir
    Path temp;
    private Path models;
    private Path cacheDir;

    @BeforeEach
    void copyModels() throws IOException {
        // A copy, so a test can change a model's modification time (../shared is read-only).
        models = Files.createDirectories(temp.resolve("model"));
        for (String f : List.of("encoder.int8.onnx", "joiner.onnx")) {
            Files.copy(ZIPFORMER.resolve(f), models.resolve(f));
        }
        cacheDir = temp.resolve("cache");
    }

    private Runtime cached() {
        return Runtime.create(Device.CPU, 1, CudaOptions.DEFAULT, new OptimizedModelCache(cacheDir));
    }

    private List<Path> entries() throws IOException {
        if (!Files.isDirectory(cacheDir)) return List.of();
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.sorted().toList();
        }
    }

    /** The joiner's logits for fixed random inputs. */
    private static float[] joinerOutput(OnnxModel joiner) throws Exception {
        Random random = new Random(7);
        float[] enc = new float[320];
        float[] dec = new float[320];
        for (int i = 0; i < 320; i++) {
            enc[i] = (float) random.nextGaussian();
            dec[i] = (float) random.nextGaussian();
        }
        try (OnnxTensor e = Tensors.floats(enc, 1, 320); OnnxTensor d = Tensors.floats(dec, 1, 320);
             OrtSession.Result r = joiner.run(e, d)) {
            return Tensors.toFloats(r.get(0));
        }
    }

    /** The encoder's output for one chunk of fixed random features and zero caches. */
    private static float[] encoderOutput(OnnxModel encoder) throws Exception {
        Random random = new Random(11);
        List<TensorSpec> inputs = encoder.inputs();
        OnnxTensor[] feed = new OnnxTensor[inputs.size()];
        try {
            for (int i = 0; i < inputs.size(); i++) {
                long[] shape = inputs.get(i).shape();
                long n = 1;
                for (long d : shape) n *= d;
                if (inputs.get(i).type() == ai.onnxruntime.OnnxJavaType.INT64) {
                    feed[i] = Tensors.longs(new long[(int) n], shape);
                } else {
                    float[] x = new float[(int) n];
                    if (i == 0) for (int k = 0; k < x.length; k++) x[k] = (float) random.nextGaussian();
                    feed[i] = Tensors.floats(x, shape);
                }
            }
            try (OrtSession.Result r = encoder.run(feed)) {
                return Tensors.toFloats(r.get(0));
            }
        } finally {
            Tensors.close(feed);
        }
    }

    @Test
    void theFirstOpenWritesTheOptimisedGraphAndLaterOnesGiveBitIdenticalOutputs() throws Exception {
        float[] plainEncoder;
        float[] plainJoiner;
        Runtime plain = Runtime.create(Device.CPU, 1);
        try (OnnxModel e = plain.open(models.resolve("encoder.int8.onnx")); OnnxModel j = plain.open(models.resolve("joiner.onnx"))) {
            plainEncoder = encoderOutput(e);
            plainJoiner = joinerOutput(j);
        }
        assertTrue(entries().isEmpty(), "a runtime without a cache writes none");

        Runtime runtime = cached();
        try (OnnxModel e = runtime.open(models.resolve("encoder.int8.onnx")); OnnxModel j = runtime.open(models.resolve("joiner.onnx"))) {
            assertArrayEquals(plainEncoder, encoderOutput(e), "the run that writes the cache");
            assertArrayEquals(plainJoiner, joinerOutput(j));
        }
        List<Path> written = entries();
        assertEquals(2, written.size(), "one entry per model: " + written);
        for (Path p : written) {
            assertTrue(p.getFileName().toString().endsWith(".ort"), p.toString());
            assertTrue(Files.size(p) > 0, p.toString());
        }

        try (OnnxModel e = cached().open(models.resolve("encoder.int8.onnx")); OnnxModel j = cached().open(models.resolve("joiner.onnx"))) {
            assertArrayEquals(plainEncoder, encoderOutput(e), "loaded from the cache: bit-identical");
            assertArrayEquals(plainJoiner, joinerOutput(j));
            // what the loaders read: metadata, names and shapes survive the ORT format
            assertEquals("zipformer2", e.meta("model_type"));
            try (OnnxModel original = plain.open(models.resolve("encoder.int8.onnx"))) {
                assertEquals(original.inputs().toString(), e.inputs().toString());
            }
            assertEquals(models.resolve("encoder.int8.onnx"), e.file(), "errors still name the .onnx file");
        }
        assertEquals(written, entries(), "a hit writes nothing");
    }

    @Test
    void anEntryIsWhatALaterOpenLoads() throws Exception {
        Path encoder = models.resolve("encoder.int8.onnx");
        Path joiner = models.resolve("joiner.onnx");
        cached().open(encoder).close();
        cached().open(joiner).close();
        Path encoderEntry = cached().cacheEntry(encoder);
        Path joinerEntry = cached().cacheEntry(joiner);
        assertTrue(Files.isRegularFile(encoderEntry) && Files.isRegularFile(joinerEntry), entries().toString());
        // Put the joiner's graph where the encoder's is kept: opening the encoder must now give the joiner.
        Files.copy(joinerEntry, encoderEntry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (OnnxModel opened = cached().open(encoder)) {
            assertEquals(List.of("encoder_out", "decoder_out"), opened.inputs().stream().map(TensorSpec::name).toList());
        }
    }

    @Test
    void aDamagedEntryIsReplacedAndTheModelStillOpens() throws Exception {
        Path joiner = models.resolve("joiner.onnx");
        float[] expected;
        try (OnnxModel j = cached().open(joiner)) {
            expected = joinerOutput(j);
        }
        Path entry = entries().get(0);
        Files.write(entry, new byte[] {1, 2, 3, 4, 5});
        try (OnnxModel j = cached().open(joiner)) {
            assertArrayEquals(expected, joinerOutput(j));
        }
        assertTrue(Files.size(entry) > 5, "written again from the model");
        try (OnnxModel j = cached().open(joiner)) {
            assertArrayEquals(expected, joinerOutput(j));
        }
    }

    @Test
    void aChangedModelGetsANewEntryAndTheOldOneGoes() throws Exception {
        Path joiner = models.resolve("joiner.onnx");
        cached().open(joiner).close();
        List<Path> before = entries();
        assertEquals(1, before.size());
        Files.setLastModifiedTime(joiner, FileTime.fromMillis(Files.getLastModifiedTime(joiner).toMillis() + 60_000));
        cached().open(joiner).close();
        List<Path> after = entries();
        assertEquals(1, after.size(), after.toString());
        assertNotEquals(before, after);
    }

    @Test
    void modelsWithExternalDataAreNotCached() throws Exception {
        Path joiner = models.resolve("joiner.onnx");
        OptimizedModelCache cache = new OptimizedModelCache(cacheDir);
        assertNotNull(cache.entry(joiner, "1.29.0"));
        Files.write(models.resolve("encoder.data"), new byte[16]);
        assertNull(cache.entry(joiner, "1.29.0"), "a directory with external data is left alone");
        try (OnnxModel j = cached().open(joiner)) {
            assertEquals(2, j.inputs().size());
        }
        assertTrue(entries().isEmpty());
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyCostsTheOptimisation() throws Exception {
        Files.writeString(temp.resolve("not-a-directory"), "x");
        cacheDir = temp.resolve("not-a-directory");
        try (OnnxModel j = cached().open(models.resolve("joiner.onnx"))) {
            assertEquals(2, j.inputs().size());
        }
        assertFalse(Files.isDirectory(cacheDir));
    }
}
