package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import dev.sotto.SottoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models verify}, {@code models remove}, and what {@code --model} resolves to. */
class VerifyAndResolveTest {
    @TempDir
    Path tmp;
    ModelsFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
        fx.nemotronEn("nemotron-en");
        fx.writeCatalogue();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void verifyFindsChangedMissingAndAddedFiles() throws Exception {
        InstalledModel m = fx.pull().pull("nemotron-en", false, false);
        Files.writeString(m.directory().resolve("160ms/tokens.txt"), "changed");
        Files.delete(m.directory().resolve("560ms/joiner.int8.onnx"));
        Files.writeString(m.directory().resolve("80ms/encoder.int8.onnx"), "planted");
        List<String> problems = Verifier.verify(m).problems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("160ms/tokens.txt: size"), problems.toString());
        assertTrue(problems.get(1).startsWith("560ms/joiner.int8.onnx: missing"), problems.toString());
        assertTrue(problems.get(2).startsWith("80ms/encoder.int8.onnx: not part of the model"), problems.toString());
    }

    @Test
    void aDirectoryPutThereByHandLoadsByNameButCannotBeVerified() throws Exception {
        Path dir = Files.createDirectories(fx.home.resolve("models/my-model"));
        Files.writeString(dir.resolve("tokens.txt"), "a 0\n");
        ModelResolver resolver = new ModelResolver(fx.settings(), fx.reporter);
        assertEquals(dir, resolver.resolve("my-model"));
        Verifier.Report r = Verifier.verify(fx.cache().installed("my-model").orElseThrow());
        assertFalse(r.verifiable());
    }

    @Test
    void aNameIsPulledOnFirstUseAndAnExistingDirectoryWinsOverAName() throws Exception {
        ModelResolver resolver = new ModelResolver(fx.settings(), fx.reporter);
        Path dir = resolver.resolve("nemotron-en");
        assertEquals(fx.home.resolve("models/nemotron-en"), dir);
        assertTrue(fx.messages.get(0).startsWith("model 'nemotron-en' is not installed: pulling it"), fx.messages.toString());
        int requests = fx.server.requests().size();
        assertEquals(dir, resolver.resolve("nemotron-en"));
        assertEquals(requests, fx.server.requests().size(), "the second use is the cache's copy");

        Path local = Files.createDirectories(tmp.resolve("nemotron-en"));
        assertEquals(local, resolver.resolve(local.toString()));
    }

    @Test
    void offlineAnUninstalledNameSaysHowToBringItIn() {
        ModelResolver resolver = new ModelResolver(fx.settings().withOffline(true), fx.reporter);
        SottoException e = assertThrows(SottoException.class, () -> resolver.resolve("nemotron-en"));
        assertTrue(e.getMessage().contains("sotto models unpack nemotron-en.tar"), e.getMessage());
        assertEquals(List.of(), fx.server.requests());
    }

    @Test
    void neitherDirectoryNorNameIsOneClearError() {
        ModelResolver resolver = new ModelResolver(fx.settings(), fx.reporter);
        assertTrue(assertThrows(SottoException.class, () -> resolver.resolve("no-such-model")).getMessage()
                .contains("neither a model directory nor a model name"));
        assertTrue(assertThrows(SottoException.class, () -> resolver.resolve("./models/none")).getMessage()
                .contains("no such model directory"));
    }

    @Test
    void aFileOptionTakesAFileOrTheOneOnnxOfAModel() throws Exception {
        Path vad = TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx");
        fx.plainModel("silero-vad", "https://github.com/snakers4/silero-vad/raw/v6.2.1/src/silero_vad/data/silero_vad.onnx",
                "silero_vad.onnx", Files.readAllBytes(vad));
        fx.writeCatalogue();
        ModelResolver resolver = new ModelResolver(fx.settings(), fx.reporter);
        assertEquals(vad, resolver.resolveFile(vad.toString()));
        Path pulled = resolver.resolveFile("silero-vad");
        assertEquals(fx.home.resolve("models/silero-vad/silero_vad.onnx"), pulled);
        assertEquals(Hashing.sha256(vad), Hashing.sha256(pulled));
        assertTrue(assertThrows(SottoException.class, () -> resolver.resolveFile("nemotron-en")).getMessage()
                .contains("expected one .onnx file"));
    }

    @Test
    void removeDeletesTheModelAndItsPartialDownloads() throws Exception {
        fx.pull().pull("nemotron-en", false, false);
        Files.createDirectories(fx.home.resolve("downloads/nemotron-en"));
        fx.cache().remove("nemotron-en");
        assertFalse(Files.exists(fx.home.resolve("models/nemotron-en")));
        assertFalse(Files.exists(fx.home.resolve("downloads/nemotron-en")));
        assertEquals(List.of(), fx.leftovers());
        assertTrue(assertThrows(SottoException.class, () -> fx.cache().remove("nemotron-en")).getMessage().contains("not installed"));
    }

    @Test
    void aModelSottoCannotRunIsRefusedByNameWithTheReason() throws Exception {
        fx.entry(0).put("runs", false).put("notes", "offline TDT");
        fx.writeCatalogue();
        SottoException e = assertThrows(SottoException.class, () -> new ModelResolver(fx.settings(), fx.reporter).resolve("nemotron-en"));
        assertTrue(e.getMessage().contains("cannot run this model yet (offline TDT)"), e.getMessage());
    }
}
