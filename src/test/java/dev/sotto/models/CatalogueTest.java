package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import dev.sotto.SottoException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue Sotto ships (models/catalogue.json), catalogue checks, and where URLs are fetched from. */
class CatalogueTest {
    static final Catalogue SHIPPED = Catalogue.load(ModelSettings.fromEnvironment(Map.of()));

    @Test
    void theShippedCatalogueHasTheModelsTheIssueNames() {
        assertEquals(List.of(80, 160, 560, 1120), SHIPPED.require("nemotron-en").chunkMs());
        assertEquals(4, SHIPPED.require("nemotron-en").files().size(), "one archive per chunk size, one family directory");
        assertTrue(SHIPPED.require("nemotron-multilingual").chunkMs().containsAll(List.of(80, 320, 560, 1120)));
        for (String name : List.of("parakeet-tdt-0.6b-v2", "parakeet-tdt-0.6b-v3", "silero-vad")) SHIPPED.require(name);
        for (String size : List.of("tiny", "base", "small", "large-v3", "large-v3-turbo")) {
            assertEquals("sherpa-onnx", SHIPPED.require("whisper-" + size).layout());
            assertEquals("huggingface", SHIPPED.require("whisper-" + size + "-hf").layout());
        }
    }

    @Test
    void everyEntryIsHonestAboutWhatWasChecked() {
        for (CatalogueEntry e : SHIPPED.entries()) {
            assertFalse(e.verified(), e.name() + ": nothing was downloaded while the catalogue was written");
            assertTrue(e.licence() != null && e.origin() != null && e.title() != null, e.name());
            for (CatalogueFile f : e.files()) {
                URI u = URI.create(f.url());
                assertEquals("https", u.getScheme(), f.url());
                assertTrue(Set.of("github.com", "huggingface.co").contains(u.getHost()), f.url());
                if (f.sha256() != null) assertTrue(f.sha256From().contains("third-party") || f.sha256From().contains("shared"), f.sha256From());
            }
        }
        assertTrue(SHIPPED.require("parakeet-tdt-0.6b-v3").runs(), "offline TDT models run (the parakeet family)");
    }

    @Test
    void theSileroChecksumIsTheOneOfTheSharedCopy() throws Exception {
        Path shared = TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx");
        CatalogueFile f = SHIPPED.require("silero-vad").files().get(0);
        assertEquals(Hashing.sha256(shared), f.sha256());
        assertEquals(Files.size(shared), f.size());
    }

    @Test
    void mistakesInACatalogueAreReportedWithTheModelAndField(@TempDir Path tmp) throws Exception {
        Map<String, String> cases = Map.of(
                "{\"format\":1,\"models\":[{\"name\":\"A b\",\"family\":\"x\",\"files\":[]}]}", "name:",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"ftp://h/a.tar.bz2\"}]}]}", "only https",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"https://h/a.bin\"}]}]}", "needs a 'path'",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"https://h/a\",\"path\":\"../a\"}]}]}", "'..'",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"https://h/a.zip\",\"sha256\":\"00\"}]}]}", "64 lower-case hex",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"https://h/a.zip\",\"sha256\":\""
                        + "0".repeat(64) + "\"}]}]}", "sha256From",
                "{\"format\":1,\"models\":[{\"name\":\"a\",\"family\":\"x\",\"files\":[{\"url\":\"https://h/a.zip\",\"sizes\":1}]}]}", "sizes",
                "{\"format\":2,\"models\":[]}", "format 2");
        for (var c : cases.entrySet()) {
            Path file = tmp.resolve("c.json");
            Files.writeString(file, c.getKey());
            SottoException e = assertThrows(SottoException.class, () -> Catalogue.read(file), c.getKey());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(c.getValue()), c.getValue() + " in: " + e.getMessage());
        }
    }

    @Test
    void mirrorsServeUrlsAsHostAndPathAndTheHfEndpointReplacesHuggingFace() {
        String gh = "https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/x.tar.bz2";
        String hf = "https://huggingface.co/onnx-community/whisper-tiny/resolve/main/onnx/encoder_model_quantized.onnx";
        Mirrors none = new Mirrors(settings(null, null));
        assertEquals(URI.create(gh), none.effective(gh));
        Mirrors both = new Mirrors(settings("http://mirror.internal/models/", "https://hf.internal"));
        assertEquals(URI.create("http://mirror.internal/models/github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/x.tar.bz2"),
                both.effective(gh));
        assertEquals(URI.create("https://hf.internal/onnx-community/whisper-tiny/resolve/main/onnx/encoder_model_quantized.onnx"),
                both.effective(hf));
        assertEquals(URI.create("http://mirror.internal/models/huggingface.co/onnx-community/whisper-tiny/resolve/main/onnx/"
                + "encoder_model_quantized.onnx"), new Mirrors(settings("http://mirror.internal/models", null)).effective(hf));
        assertEquals(URI.create("file:///mnt/share/github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/x.tar.bz2"),
                new Mirrors(settings("file:///mnt/share", null)).effective(gh));
    }

    @Test
    void theEnvironmentSetsTheCacheAndTheMirrors() {
        ModelSettings s = ModelSettings.fromEnvironment(Map.of("SOTTO_HOME", "/srv/sotto", "SOTTO_OFFLINE", "1",
                "SOTTO_MODEL_MIRROR", "http://m", "SOTTO_HF_ENDPOINT", "http://h", "SOTTO_DOWNLOAD_STALL_SECONDS", "5"));
        assertEquals(Path.of("/srv/sotto"), s.home());
        assertTrue(s.offline());
        assertEquals(Duration.ofSeconds(5), s.stallTimeout());
        assertEquals(Path.of(System.getProperty("user.home"), ".sotto"), ModelSettings.fromEnvironment(Map.of()).home());
        assertThrows(SottoException.class, () -> ModelSettings.fromEnvironment(Map.of("SOTTO_DOWNLOAD_STALL_SECONDS", "soon")));
    }

    private static ModelSettings settings(String mirror, String hf) {
        return new ModelSettings(Path.of("/tmp/x"), null, mirror, hf, false, Duration.ofSeconds(1), 1, Duration.ZERO,
                ModelSettings.DiskSpace.REAL);
    }
}
