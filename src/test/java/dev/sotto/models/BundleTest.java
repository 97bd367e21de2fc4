package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.models.TestArchives.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models pack} on a connected machine, {@code models unpack} on an air-gapped one. */
class BundleTest {
    @TempDir
    Path tmp;
    ModelsFixture fx;
    /** The air-gapped site: its own SOTTO_HOME, no mirror, no network, no catalogue entry for these models. */
    ModelSettings site;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
        fx.nemotronEn("nemotron-en");
        fx.whisperHf("whisper-tiny");
        ModelPull pull = fx.pull();
        pull.pull("nemotron-en", false, false);
        pull.pull("whisper-tiny", false, false);
        site = new ModelSettings(tmp.resolve("site"), null, null, null, true, Duration.ofSeconds(1), 1, Duration.ZERO,
                ModelSettings.DiskSpace.REAL);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    Path pack(String... names) {
        Path bundle = tmp.resolve("bundle.tar");
        new BundlePacker(fx.settings(), fx.reporter).pack(List.of(names), bundle);
        return bundle;
    }

    List<String> unpack(Path bundle, boolean force) {
        return new BundleUnpacker(site, fx.reporter).unpack(bundle, force);
    }

    @Test
    void packThenUnpackInstallsTheSameFilesElsewhere() throws Exception {
        Path bundle = pack("nemotron-en", "whisper-tiny");
        assertFalse(Files.exists(tmp.resolve("bundle.tar.partial")));

        assertEquals(List.of("nemotron-en", "whisper-tiny"), unpack(bundle, false));
        ModelCache cache = new ModelCache(site);
        for (String name : List.of("nemotron-en", "whisper-tiny")) {
            InstalledModel here = cache.installed(name).orElseThrow();
            InstalledModel there = fx.cache().installed(name).orElseThrow();
            assertEquals(Set.copyOf(there.manifest().files()), Set.copyOf(here.manifest().files()), name);
            assertTrue(Verifier.verify(here).ok(), name);
            assertTrue(here.manifest().source().startsWith("unpacked from bundle.tar"), here.manifest().source());
            assertEquals(there.manifest().entry(), here.manifest().entry(), "the catalogue entry travels with the model");
        }
        assertTrue(new ModelResolver(site, fx.reporter).resolve("nemotron-en").endsWith("models/nemotron-en"),
                "--model NAME finds it offline");

        fx.messages.clear();
        assertEquals(List.of(), unpack(bundle, false), "the same bundle again changes nothing");
        assertTrue(fx.messages.stream().anyMatch(m -> m.contains("already installed with the same files")), fx.messages.toString());
    }

    @Test
    void aDamagedBundleIsRefusedBeforeAnythingIsInstalled() throws Exception {
        Path bundle = pack("nemotron-en", "whisper-tiny");
        byte[] bytes = Files.readAllBytes(bundle);
        int at = indexOf(bytes, "models/whisper-tiny/tokenizer.json".getBytes(StandardCharsets.US_ASCII)) + 512 + 100;
        bytes[at] ^= 1;   // one bit inside the last model's file: the first model must not be installed either
        Files.write(bundle, bytes);

        UnsafeArchive e = assertThrows(UnsafeArchive.class, () -> unpack(bundle, false));
        assertTrue(e.getMessage().contains("tokenizer.json: sha256"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was installed"), e.getMessage());
        assertEquals(List.of(), new ModelCache(site).installedModels());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void anInstalledModelWithOtherFilesIsReplacedOnlyWithForce() throws Exception {
        Path bundle = pack("whisper-tiny");
        unpack(bundle, false);
        Path config = site.home().resolve("models/whisper-tiny/config.json");
        Files.writeString(config, "{}");
        Files.delete(site.home().resolve("models/whisper-tiny").resolve(ModelManifest.FILE));   // now it differs

        SottoException e = assertThrows(SottoException.class, () -> unpack(bundle, false));
        assertTrue(e.getMessage().contains("Add --force"), e.getMessage());
        assertEquals("{}", Files.readString(config));
        unpack(bundle, true);
        assertTrue(Verifier.verify(new ModelCache(site).installed("whisper-tiny").orElseThrow()).ok());
    }

    @Test
    void packRefusesAModelWhoseFilesChangedSinceInstall() throws Exception {
        Path encoder = fx.home.resolve("models/nemotron-en/80ms/encoder.onnx");
        byte[] b = Files.readAllBytes(encoder);
        b[b.length - 1] ^= 1;
        Files.write(encoder, b);
        SottoException e = assertThrows(SottoException.class, () -> pack("nemotron-en"));
        assertTrue(e.getMessage().contains("changed since it was installed"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("bundle.tar")));
        assertFalse(Files.exists(tmp.resolve("bundle.tar.partial")));
    }

    @Test
    void hostileBundlesAreRefused() throws Exception {
        byte[] data = "a 0\n".getBytes(StandardCharsets.UTF_8);
        String sha = ModelsFixture.sha256(data);
        String good = manifest("m", "tokens.txt", data.length, sha);
        record Case(String expect, List<Entry> entries) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("manifest path '../../escaped': '..'", List.of(Entry.file(BundleManifest.ENTRY,
                manifest("m", "../../escaped", data.length, sha)), Entry.file("models/m/../../escaped", data))));
        cases.add(new Case("bad or repeated model name '../escaped'", List.of(Entry.file(BundleManifest.ENTRY,
                manifest("../escaped", "tokens.txt", data.length, sha)), Entry.file("models/../escaped/tokens.txt", data))));
        cases.add(new Case("absolute path", List.of(Entry.file(BundleManifest.ENTRY, good), Entry.file("models/m/tokens.txt", data),
                Entry.file(tmp.resolve("escaped").toString(), data))));
        cases.add(new Case("a link or special file (to " + tmp, List.of(Entry.file(BundleManifest.ENTRY, good),
                Entry.symlink("models/m/out", tmp.toString()), Entry.file("models/m/out/escaped", data))));
        cases.add(new Case("not listed in the bundle's manifest", List.of(Entry.file(BundleManifest.ENTRY, good),
                Entry.file("models/m/tokens.txt", data), Entry.file("models/m/extra.onnx", data))));
        cases.add(new Case("1 file(s) of the manifest are missing", List.of(Entry.file(BundleManifest.ENTRY, good))));
        cases.add(new Case("not a Sotto bundle", List.of(Entry.file("models/m/tokens.txt", data), Entry.file(BundleManifest.ENTRY, good))));
        int i = 0;
        for (Case c : cases) {
            Path bundle = tmp.resolve("hostile-" + i++ + ".tar");
            Files.write(bundle, TestArchives.build(ArchiveFormat.TAR, c.entries()));
            SottoException e = assertThrows(SottoException.class, () -> unpack(bundle, false), c.expect());
            assertTrue(e.getMessage().contains(c.expect()), e.getMessage());
            assertEquals(List.of(), new ModelCache(site).installedModels(), e.getMessage());
            assertEquals(List.of(), leftovers(), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("escaped")), e.getMessage());
            assertFalse(Files.exists(site.home().resolve("escaped")), e.getMessage());
        }
    }

    private static String manifest(String model, String path, long size, String sha) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode().put("format", 1).put("createdAt", "now").put("createdBy", "test");
        ObjectNode m = doc.putArray("models").addObject().put("name", model).put("source", "test");
        m.putArray("files").addObject().put("path", path).put("size", size).put("sha256", sha);
        return doc.toString();
    }

    private List<String> leftovers() throws Exception {
        Path models = site.home().resolve("models");
        if (!Files.isDirectory(models)) return List.of();
        try (var s = Files.list(models)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
