package dev.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.models.ModelsFixture;
import dev.sotto.testing.SyntheticSpeech;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sotto models ...} and {@code --model NAME} as a user runs them, against a local model
 * host reached through SOTTO_MODEL_MIRROR / SOTTO_HF_ENDPOINT, with SOTTO_HOME in a temporary directory.
 */
class ModelsCliTest {
    static final String FOX = "the quick brown fox jumps over the lazy dog\n";

    @TempDir
    Path tmp;
    ModelsFixture fx;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
        fx.nemotronEn("nemotron-en");
        fx.whisperHf("whisper-tiny");
        fx.writeCatalogue();
        env = fx.env();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    static CliTest.Run sotto(Map<String, String> env, String... args) {
        synchronized (CliTest.class) {
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int status = Main.run(env, args);
                return new CliTest.Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
    }

    CliTest.Run sotto(String... args) {
        return sotto(env, args);
    }

    static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> m = new HashMap<>(env);
        m.put(key, value);
        return m;
    }

    static String wav(String name) {
        return SyntheticSpeech.nemo(name).wav().toString();
    }

    @Test
    void listShowsWhatIsAvailableThenWhatIsInstalled() throws Exception {
        CliTest.Run before = sotto("models", "list");
        assertEquals(0, before.status(), before.err());
        assertTrue(before.out().startsWith("NAME"), before.out());
        assertTrue(before.out().lines().anyMatch(l -> l.matches("nemotron-en\\s+available\\s+\\d+ kB\\s+nemo-streaming\\s+80,160,560,1120\\s+en")),
                before.out());
        assertTrue(before.err().contains("0 installed"), before.err());

        CliTest.Run pull = sotto("models", "pull", "nemotron-en");
        assertEquals(0, pull.status(), pull.err());
        assertEquals(fx.home.resolve("models/nemotron-en") + "\n", pull.out(), "stdout: the directory, nothing else");
        assertTrue(pull.err().contains("installed nemotron-en in"), pull.err());

        CliTest.Run after = sotto("models", "list");
        assertTrue(after.out().lines().anyMatch(l -> l.startsWith("nemotron-en") && l.contains("installed")), after.out());
        JsonNode json = new ObjectMapper().readTree(sotto("models", "list", "--json").out());
        assertEquals("nemotron-en", json.get(0).get("name").asText());
        assertTrue(json.get(0).get("installed").asBoolean());
        assertTrue(json.get(0).get("bytes").asLong() > 0);
        assertFalse(json.get(1).get("installed").asBoolean());

        CliTest.Run path = sotto("models", "path", "nemotron-en");
        assertEquals(fx.home.resolve("models/nemotron-en") + "\n", path.out());
    }

    @Test
    void transcribeByNamePullsOnFirstUseThenUsesTheCache() {
        CliTest.Run first = sotto("transcribe", "--model", "nemotron-en", "--device", "cpu", wav("en-fox"));
        assertEquals(0, first.status(), first.err());
        assertEquals(FOX, first.out());
        assertTrue(first.err().contains("model 'nemotron-en' is not installed: pulling it"), first.err());
        assertTrue(first.err().contains("sotto: model nemotron-en/1120ms"), first.err());

        int requests = fx.requests();
        CliTest.Run again = sotto(with(env, "SOTTO_OFFLINE", "1"), "transcribe", "--model", "nemotron-en", "--acceleration", "medium",
                wav("en-fox"));
        assertEquals(FOX, again.out(), again.err());
        assertTrue(again.err().contains("nemotron-en/160ms"), again.err());
        assertEquals(requests, fx.requests());
    }

    @Test
    void offlineWithoutTheModelExplainsHowToBringItIn() {
        CliTest.Run r = sotto(with(env, "SOTTO_OFFLINE", "1"), "transcribe", "--model", "nemotron-en", wav("en-fox"));
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("sotto: nemotron-en: cannot download (offline mode is on"), r.err());
        assertTrue(r.err().contains("sotto models unpack nemotron-en.tar"), r.err());
        assertEquals(0, fx.requests());
    }

    @Test
    void packOnOneMachineUnpackOnAnotherAndTranscribeThereOffline() throws Exception {
        assertEquals(0, sotto("models", "pull", "nemotron-en", "whisper-tiny").status());
        Path bundle = tmp.resolve("models.tar");
        CliTest.Run pack = sotto("models", "pack", "nemotron-en", "whisper-tiny", "--out", bundle.toString());
        assertEquals(0, pack.status(), pack.err());
        assertEquals(bundle + "\n", pack.out());

        Map<String, String> site = Map.of("SOTTO_HOME", tmp.resolve("site").toString(), "SOTTO_OFFLINE", "1");
        CliTest.Run unpack = sotto(site, "models", "unpack", bundle.toString());
        assertEquals(0, unpack.status(), unpack.err());
        assertEquals("nemotron-en\nwhisper-tiny\n", unpack.out());
        CliTest.Run list = sotto(site, "models", "list");
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("nemotron-en") && l.contains("installed")),
                "models from a bundle are listed even where the catalogue lacks them: " + list.out());
        assertEquals(0, sotto(site, "models", "verify").status());
        CliTest.Run t = sotto(site, "transcribe", "--model", "nemotron-en", wav("en-fox"));
        assertEquals(FOX, t.out(), t.err());
    }

    @Test
    void verifyRemoveAndFeaturesByName() throws Exception {
        assertEquals(0, sotto("models", "pull", "nemotron-en").status());
        CliTest.Run ok = sotto("models", "verify", "nemotron-en");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().startsWith("nemotron-en: ok ("), ok.out());

        Path npy = tmp.resolve("x.npy");
        CliTest.Run features = sotto("features", "--model", "nemotron-en", wav("en-fox"), "--out", npy.toString());
        assertEquals(0, features.status(), features.err());
        assertTrue(Files.size(npy) > 128);

        Files.writeString(fx.home.resolve("models/nemotron-en/80ms/tokens.txt"), "damaged");
        CliTest.Run bad = sotto("models", "verify");
        assertEquals(1, bad.status());
        assertTrue(bad.out().contains("nemotron-en: DAMAGED\n  80ms/tokens.txt: size"), bad.out());

        assertEquals(0, sotto("models", "remove", "nemotron-en").status());
        CliTest.Run gone = sotto("models", "path", "nemotron-en");
        assertEquals(1, gone.status());
        assertTrue(gone.err().contains("is not installed: `sotto models pull nemotron-en` installs it"), gone.err());
    }

    @Test
    void serveAndBenchResolveNamesBeforeStarting() {
        CliTest.Run serve = sotto(with(env, "SOTTO_OFFLINE", "1"), "serve", "--port", "0", "--model", "whisper-tiny");
        assertEquals(1, serve.status());
        assertTrue(serve.err().startsWith("sotto: whisper-tiny: cannot download (offline mode is on"), serve.err());
        CliTest.Run bench = sotto("bench", "--model", "nemotorn-en", "--manifest",
                dev.sotto.testing.TestData.testModels().resolve("nemo-audio/manifest.tsv").toString());
        assertEquals(1, bench.status());
        assertTrue(bench.err().contains("nemotorn-en: neither a model directory nor a model name"), bench.err());
    }

    @Test
    void aDirectoryStillWorksAndAMistypedNameIsOneLine() {
        CliTest.Run dir = sotto("transcribe", "--model", CliTest.EN, wav("en-fox"));
        assertEquals(FOX, dir.out(), dir.err());
        assertEquals(0, fx.requests());
        CliTest.Run typo = sotto("transcribe", "--model", "nemotorn-en", wav("en-fox"));
        assertEquals(1, typo.status());
        assertEquals("sotto: nemotorn-en: neither a model directory nor a model name: `sotto models list` shows the names\n",
                typo.err());
    }
}
