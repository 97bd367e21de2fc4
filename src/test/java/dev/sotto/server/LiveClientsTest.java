package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streaming on `sotto serve` against real clients (src/test/node/live.test.mjs): Fireworks'
 * WebSocket protocol with the `ws` package, OpenAI realtime transcription with the official
 * `openai` package's OpenAIRealtimeWS over TLS, and `@fal-ai/client`'s `fal.stream`. Every final
 * text must equal what `sotto transcribe` prints for the same file and model.
 *
 * <p>Two servers run: a plain one ({@code --allow-private-urls}: fal fetches its audio URLs from
 * the test's file server on 127.0.0.1; {@code --max-streams 12}, to be filled) and one with {@code --tls-cert/--tls-key}, a self-signed
 * certificate made here with openssl (OpenAIRealtimeWS always connects with wss://). Both need
 * the key. Afterwards neither server may have logged an uncaught exception.
 *
 * <p>Needs Node.js 20+, npm and openssl. Alone:
 * {@code ./mvnw -o -B test -Dtest=LiveClientsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class LiveClientsTest {
    static final String KEY = "sotto-live-key";
    /** The plain server's --max-streams: above the 8 concurrent streams and the corpus' 3, small enough to fill. */
    static final int MAX_STREAMS = 12;
    /** The files the script sends, relative to ../shared. */
    static final List<String> AUDIO = List.of(
            "audio/en/jfk.wav", "audio/en/leopard-test-en.wav", "audio/en/librispeech-gigaspeech-test-0.wav",
            "audio/en/librispeech-gigaspeech-test-1.wav", "audio/special/three-speakers.wav", "audio/special/silence.wav",
            "audio/en/ljspeech/LJ001-0002.wav");
    /** jfk.wav cut in the middle of its last word: speech up to the last sample. */
    static final String CUT = "jfk-cut.wav";
    static final double CUT_SECONDS = 10.3;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void realClientsStreamLiveAndGetTheCliTranscripts(@TempDir Path tmp) throws Exception {
        ClientsTest.Node.require();
        Path generated = Files.createDirectories(tmp.resolve("generated"));
        cut(TestData.shared().resolve("audio/en/jfk.wav"), generated.resolve(CUT), CUT_SECONDS);
        Path[] pem = selfSignedCertificate(tmp);
        try (SottoProcess.Server plain = SottoProcess.Server.start(tmp.resolve("data"), tmp, "live-plain",
                     "--api-key", KEY, "--allow-private-urls", "--max-streams", String.valueOf(MAX_STREAMS));
             SottoProcess.Server tls = SottoProcess.Server.startTls(tmp.resolve("data-tls"), tmp, "live-tls", pem[0], pem[1],
                     "--api-key", KEY)) {
            Path expected = writeCliTranscripts(tmp, generated);
            ClientsTest.Node.install();
            plain.awaitReady();
            tls.awaitReady();

            int status = ClientsTest.Node.run(tmp, Map.of(
                    "SOTTO_URL", plain.url(),
                    "SOTTO_TLS_URL", tls.url(),
                    "SOTTO_TLS_CA", pem[0].toString(),
                    "SOTTO_KEY", KEY,
                    "SOTTO_MAX_STREAMS", String.valueOf(MAX_STREAMS),
                    "SHARED", TestData.shared().toString(),
                    "GENERATED_DIR", generated.toString(),
                    "EXPECTED_JSON", expected.toString()), List.of("live.test.mjs"));
            if (status != 0) {
                System.out.println("---- sotto serve log, plain (last 60 lines) ----\n" + SottoProcess.tail(plain.log, 60));
                System.out.println("---- sotto serve log, TLS (last 60 lines) ----\n" + SottoProcess.tail(tls.log, 60));
            }
            assertEquals(0, status, "node --test live.test.mjs failed: see its output above");
            for (SottoProcess.Server server : List.of(plain, tls)) {
                String log = SottoProcess.read(server.log);
                assertTrue(!log.contains("Uncaught exception") && !log.contains("Exception in thread"),
                        "the server logged an exception:\n" + SottoProcess.tail(server.log, 60));
            }
        }
    }

    /** The first {@code seconds} of a 16-bit WAV file, byte for byte, as another WAV file. */
    static void cut(Path from, Path to, double seconds) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(from.toFile())) {
            AudioFormat format = in.getFormat();
            long frames = Math.round(seconds * format.getSampleRate());
            byte[] bytes = in.readNBytes((int) (frames * format.getFrameSize()));
            assertEquals(frames * format.getFrameSize(), bytes.length, from + " is shorter than " + seconds + " s");
            try (AudioInputStream out = new AudioInputStream(new ByteArrayInputStream(bytes), format, frames)) {
                AudioSystem.write(out, AudioFileFormat.Type.WAVE, to.toFile());
            }
        }
    }

    /** A self-signed certificate for 127.0.0.1 and localhost and its unencrypted PKCS#8 key: {cert.pem, key.pem}. */
    static Path[] selfSignedCertificate(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> command = List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("The live client tests make a self-signed TLS certificate with openssl, which is not on the PATH ("
                    + e.getMessage() + "): install it (the distribution's openssl package).");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + " failed:\n" + out);
        assertTrue(Files.readString(key).contains("BEGIN PRIVATE KEY"), "openssl wrote a PKCS#8 key");
        return new Path[] {cert, key};
    }

    /**
     * {"model": id, "files": {path: verbose_json}}: the CLI's transcript of every file in {@link #AUDIO}
     * (keyed by its path under ../shared) and of the cut file (keyed "generated/jfk-cut.wav").
     */
    static Path writeCliTranscripts(Path tmp, Path generated) throws IOException {
        List<String> keys = new ArrayList<>(AUDIO);
        keys.add("generated/" + CUT);
        List<String> args = new ArrayList<>(List.of("transcribe", "--model", SottoProcess.MODEL.toString(), "--format", "verbose_json"));
        AUDIO.forEach(f -> args.add(TestData.shared().resolve(f).toString()));
        args.add(generated.resolve(CUT).toString());
        List<String> lines = SottoProcess.cli(tmp, args.toArray(String[]::new)).lines().toList();
        assertEquals(keys.size(), lines.size(), "one verbose_json line per file: " + lines);

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", SottoProcess.MODEL.getFileName().toString());
        ObjectNode files = root.putObject("files");
        for (int i = 0; i < keys.size(); i++) {
            JsonNode transcript = json.readTree(lines.get(i));
            assertTrue(transcript.path("text").asText().length() > 0, keys.get(i) + ": the CLI heard nothing");
            files.set(keys.get(i), transcript);
        }
        Path out = tmp.resolve("expected-live.json");
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        return out;
    }
}
