package dev.sotto.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model host on loopback standing in for GitHub and Hugging Face, reached the way a site
 * with an internal mirror reaches it (SOTTO_MODEL_MIRROR, SOTTO_HF_ENDPOINT), a catalogue
 * of synthetic models in the real layouts, and an empty SOTTO_HOME. No test downloads a real model.
 */
public final class ModelsFixture implements AutoCloseable {
    static final String RELEASES = "https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/";
    static final String HF = "https://huggingface.co/";
    static final List<String> NEMO_CHUNKS = List.of("80ms", "160ms", "560ms", "1120ms");

    final ModelServer server;
    final Path dir;
    public final Path home;
    final Path catalogue;
    final ArrayNode models = new ObjectMapper().createArrayNode();
    final List<String> messages = new ArrayList<>();
    final Reporter reporter = new Reporter() {
        @Override
        public void info(String message) {
            messages.add(message);
        }

        @Override
        public ByteProgress progress(String label, long totalBytes) {
            return SILENT.progress(label, totalBytes);
        }
    };

    public ModelsFixture(Path dir) throws IOException {
        this.server = new ModelServer();
        this.dir = dir;
        this.home = dir.resolve("home");
        this.catalogue = dir.resolve("catalogue.json");
    }

    /** How many requests the model host has answered. */
    public int requests() {
        return server.requests().size();
    }

    /** Mirror settings, one attempt, a 2 s stall timeout, the real disk. */
    ModelSettings settings() {
        return new ModelSettings(home, catalogue, server.base(), server.base() + "/hf", false, Duration.ofSeconds(2), 1,
                Duration.ofMillis(10), ModelSettings.DiskSpace.REAL);
    }

    /** The environment the CLI would read for the same setup. */
    public Map<String, String> env() {
        return Map.of("SOTTO_HOME", home.toString(), "SOTTO_MODEL_CATALOG", catalogue.toString(),
                "SOTTO_MODEL_MIRROR", server.base(), "SOTTO_HF_ENDPOINT", server.base() + "/hf");
    }

    /** Where the mirror serves a catalogue URL. */
    static String servedPath(String url) {
        URI u = URI.create(url);
        if (url.startsWith(HF)) return "/hf" + u.getPath();
        return "/" + u.getHost() + u.getPath();
    }

    void serve(String url, byte[] body) {
        server.put(servedPath(url), body);
    }

    ModelCache cache() {
        return new ModelCache(settings());
    }

    ModelPull pull(ModelSettings settings) {
        writeCatalogue();
        return new ModelPull(settings, Catalogue.read(catalogue), reporter);
    }

    ModelPull pull() {
        return pull(settings());
    }

    /** A catalogue entry with no files yet. */
    ObjectNode model(String name, String family) {
        ObjectNode m = models.addObject().put("name", name).put("title", "synthetic " + name).put("family", family)
                .put("layout", "sherpa-onnx").put("licence", "test").put("origin", "synthetic").put("runs", true)
                .put("verified", true);
        m.putArray("languages").add("en");
        m.putArray("files");
        return m;
    }

    /**
     * The English NeMo family as sherpa-onnx ships it: one .tar.bz2 per chunk size, unpacked into
     * its chunk-size subdirectory. The 80 ms archive's sha256 is pinned, the others are trusted on first download.
     */
    public void nemotronEn(String name) {
        ObjectNode m = model(name, "nemo-streaming");
        m.putArray("chunkMs").add(80).add(160).add(560).add(1120);
        for (String ms : NEMO_CHUNKS) {
            String root = "sherpa-onnx-nemotron-speech-streaming-en-0.6b-" + ms + "-int8-2026-04-25";
            String url = RELEASES + name + "-" + root + ".tar.bz2";
            byte[] archive = TestArchives.of(TestData.testModels().resolve("nemotron-en").resolve(ms), root, ArchiveFormat.TAR_BZ2);
            serve(url, archive);
            ObjectNode f = ((ArrayNode) m.get("files")).addObject().put("url", url).put("root", root).put("into", ms)
                    .put("size", archive.length);
            if (ms.equals("80ms")) f.put("sha256", sha256(archive)).put("sha256From", "computed by the test");
        }
    }

    /** An archive model: {@code source} (under the synthetic models) packed as {@code format} under {@code root}. */
    byte[] archiveModel(String name, String family, String source, String root, ArchiveFormat format, String suffix) {
        ObjectNode m = model(name, family);
        String url = RELEASES + name + suffix;
        byte[] archive = TestArchives.of(TestData.testModels().resolve(source), root, format);
        serve(url, archive);
        ((ArrayNode) m.get("files")).addObject().put("url", url).put("root", root).put("size", archive.length);
        return archive;
    }

    /** An archive model whose bytes the test makes (hostile ones). */
    String rawArchive(String name, byte[] archive, String root, String suffix) {
        ObjectNode m = model(name, "test");
        String url = RELEASES + name + suffix;
        serve(url, archive);
        ObjectNode f = ((ArrayNode) m.get("files")).addObject().put("url", url).put("size", archive.length);
        if (root != null) f.put("root", root);
        return url;
    }

    /** A model of one plain file saved at {@code path} (as the catalogue's silero-vad). */
    void plainModel(String name, String url, String path, byte[] body) {
        serve(url, body);
        ((ArrayNode) model(name, "vad").get("files")).addObject().put("url", url).put("path", path).put("size", body.length)
                .put("sha256", sha256(body)).put("sha256From", "computed by the test");
    }

    /** The Hugging Face layout: every file of the synthetic hf-tiny export, one URL each under the repository. */
    public void whisperHf(String name) {
        ObjectNode m = model(name, "whisper").put("layout", "huggingface");
        Path src = TestData.testModels().resolve("whisper/hf-tiny");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = src.relativize(p).toString().replace('\\', '/');
                String url = HF + "onnx-community/" + name + "/resolve/main/" + rel;
                byte[] body = Files.readAllBytes(p);
                serve(url, body);
                ((ArrayNode) m.get("files")).addObject().put("url", url).put("path", rel).put("size", body.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The catalogue entry added {@code i}-th, to edit before {@link #writeCatalogue()}. */
    ObjectNode entry(int i) {
        return (ObjectNode) models.get(i);
    }

    /** Its {@code j}-th file. */
    ObjectNode file(int i, int j) {
        return (ObjectNode) entry(i).withArray("files").get(j);
    }

    public void writeCatalogue() {
        ObjectNode doc = new ObjectMapper().createObjectNode().put("format", 1);
        doc.set("models", models);
        try {
            Files.writeString(catalogue, doc.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(Hashing.sha256().digest(data));
    }

    /** What the cache holds besides installed models: staging or retired directories would be half-written work. */
    List<String> leftovers() throws IOException {
        if (!Files.isDirectory(home.resolve("models"))) return List.of();
        try (Stream<Path> s = Files.list(home.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
