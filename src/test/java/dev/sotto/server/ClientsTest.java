package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sotto serve` against clients nobody here wrote: the official `openai` and `@fal-ai/client` npm
 * packages and NanoGPT's documented requests sent with Node's fetch (src/test/node/*.test.mjs).
 * Every transcript they get must equal what `sotto transcribe` prints for the same file.
 *
 * <p>Two servers run: one with {@code --allow-private-urls} (the tests serve audio URLs from
 * 127.0.0.1) and one without, which must refuse those URLs. Needs Node.js 20+ and npm; the
 * client packages come from src/test/node/package-lock.json ({@code npm ci}, only when
 * node_modules is missing or older than the lock file).
 *
 * <p>Alone: {@code ./mvnw -o -B test -Dtest=ClientsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ClientsTest {
    static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();
    static final List<String> SCRIPTS = List.of("openai.test.mjs", "fal.test.mjs", "nanogpt.test.mjs");
    static final String KEY = "sotto-test-key";
    /** The files the scripts send, relative to ../shared; the CLI transcribes each of them. */
    static final List<String> AUDIO = List.of(
            "audio/en/jfk.wav", "audio/en/jfk.flac", "audio/en/jfk.mp3", "audio/special/three-speakers.wav");
    /** The file whose srt and vtt are compared as well. */
    static final String SUBTITLED = "audio/en/jfk.wav";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void officialClientsGetTheCliTranscripts(@TempDir Path tmp) throws Exception {
        Node.require();
        try (SottoProcess.Server open = SottoProcess.Server.start(tmp.resolve("data"), tmp, "open",
                     "--api-key", KEY, "--allow-private-urls",
                     "--vad-model", TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx").toString());
             SottoProcess.Server strict = SottoProcess.Server.start(tmp.resolve("data-strict"), tmp, "strict",
                     "--api-key", KEY)) {
            Path expected = writeCliTranscripts(tmp);
            Node.install();
            open.awaitReady();
            strict.awaitReady();

            int status = Node.run(tmp, Map.of(
                    "SOTTO_URL", open.url(),
                    "SOTTO_STRICT_URL", strict.url(),
                    "SOTTO_KEY", KEY,
                    "SHARED", TestData.shared().toString(),
                    "EXPECTED_JSON", expected.toString()));
            if (status != 0) {
                System.out.println("---- sotto serve log, with --allow-private-urls (last 80 lines) ----\n" + SottoProcess.tail(open.log, 80));
                System.out.println("---- sotto serve log, without (last 30 lines) ----\n" + SottoProcess.tail(strict.log, 30));
            }
            assertEquals(0, status, "node --test " + String.join(" ", SCRIPTS) + " failed: see its output above");
        }
    }

    /**
     * The CLI's transcripts of {@link #AUDIO}: {"model": id, "files": {path: verbose_json + srt/vtt}},
     * from `sotto transcribe --format verbose_json` (one line per file, in order) and, for
     * {@link #SUBTITLED}, `--format srt` and `--format vtt`.
     */
    static Path writeCliTranscripts(Path tmp) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> args = new ArrayList<>(List.of("transcribe", "--model", SottoProcess.MODEL.toString(), "--format", "verbose_json"));
        AUDIO.forEach(f -> args.add(TestData.shared().resolve(f).toString()));
        List<String> lines = SottoProcess.cli(tmp, args.toArray(String[]::new)).lines().toList();
        assertEquals(AUDIO.size(), lines.size(), "one verbose_json line per file: " + lines);

        ObjectNode root = json.createObjectNode();
        root.put("model", SottoProcess.MODEL.getFileName().toString());
        ObjectNode files = root.putObject("files");
        for (int i = 0; i < AUDIO.size(); i++) {
            JsonNode transcript = json.readTree(lines.get(i));
            assertTrue(transcript.path("text").asText().length() > 0, AUDIO.get(i) + ": the CLI heard nothing");
            files.set(AUDIO.get(i), transcript);
        }
        String subtitled = TestData.shared().resolve(SUBTITLED).toString();
        for (String format : List.of("srt", "vtt")) {
            String subtitles = SottoProcess.cli(tmp, "transcribe", "--model", SottoProcess.MODEL.toString(), "--format", format, subtitled);
            ((ObjectNode) files.get(SUBTITLED)).put(format, subtitles);
        }
        Path out = tmp.resolve("expected.json");
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        return out;
    }

    /** Node.js and npm, run from src/test/node. */
    static final class Node {
        private Node() {
        }

        static void require() {
            String version;
            try {
                version = output(List.of("node", "--version")).trim();
                output(List.of("npm", "--version"));
            } catch (IOException e) {
                fail("The client tests need Node.js 20 or newer and npm on the PATH (" + e.getMessage() + "): "
                        + "install them (https://nodejs.org, or the distribution's nodejs and npm packages).");
                return;
            }
            int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*", "$1"));
            assertTrue(major >= 20, "The client tests need Node.js 20 or newer (node --test, fetch, FormData); found " + version);
        }

        /** npm ci, when node_modules is missing or older than package.json / package-lock.json. */
        static void install() throws IOException, InterruptedException {
            Path installed = NODE_DIR.resolve("node_modules/.package-lock.json");
            if (Files.exists(installed)) {
                FileTime at = Files.getLastModifiedTime(installed);
                boolean fresh = at.compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package-lock.json"))) >= 0
                        && at.compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package.json"))) >= 0;
                if (fresh) return;
            }
            int status = stream(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR.toFile()), 5);
            assertEquals(0, status, "npm ci in " + NODE_DIR + " failed (it needs the npm registry, or a filled npm cache)");
        }

        /** node --test on the scripts, its output copied to this test's output; returns the exit status. */
        static int run(Path tmp, Map<String, String> env) throws IOException, InterruptedException {
            return run(tmp, env, SCRIPTS);
        }

        /** node --test on {@code scripts} (in src/test/node), its output copied to this test's output; returns the exit status. */
        static int run(Path tmp, Map<String, String> env, List<String> scripts) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
            command.addAll(scripts);
            ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("FAL_") || k.startsWith("OPENAI_") || k.startsWith("NODE_OPTIONS"));
            pb.environment().putAll(env);
            pb.environment().put("TMPDIR", tmp.toString());
            return stream(pb, 8);
        }

        private static int stream(ProcessBuilder pb, int minutes) throws IOException, InterruptedException {
            Process p = pb.redirectErrorStream(true).start();
            p.getOutputStream().close();
            Thread copier = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) System.out.println(line);
                } catch (IOException ignored) {
                    // the process is gone; its exit status says the rest
                }
            });
            copier.start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(String.join(" ", pb.command()) + " did not finish within " + minutes + " minutes");
            }
            copier.join(5_000);
            return p.exitValue();
        }

        private static String output(List<String> command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(command + " failed: " + out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return out;
        }
    }
}
