package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.testing.TestData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fal queue survives kill -9: with one worker, a long job is IN_PROGRESS and a short one
 * IN_QUEUE when the server dies; a server restarted on the same --data finishes both, with the
 * texts `sotto transcribe` gives for the same files. Audio reaches the server as file:// URLs
 * under --allow-file-root.
 */
class CrashRecoveryTest {
    static final String KEY = "sotto-crash-key";
    static final String QUEUE = "/queue/fal-ai/nemotron";
    /** jfk.wav (11 s) this many times: over 2 minutes of speech, a few seconds of decoding. */
    static final int REPEATS = 12;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void queuedJobsCompleteAfterTheServerIsKilled(@TempDir Path tmp) throws Exception {
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        Path jfk = TestData.shared().resolve("audio/en/jfk.wav");
        Path longFile = audio.resolve("long.wav");
        Path shortFile = audio.resolve("jfk.wav");
        writeRepeated(jfk, REPEATS, longFile);
        Files.copy(jfk, shortFile);
        Path data = tmp.resolve("data");
        String[] flags = {"--workers", "1", "--allow-file-root", audio.toString(), "--api-key", KEY};

        SottoProcess.Server first = SottoProcess.Server.start(data, tmp, "before-kill", flags);
        Map<String, String> expected = cliTexts(tmp, longFile, shortFile);
        String longId;
        String shortId;
        try {
            first.awaitReady();
            longId = submit(first, longFile);
            shortId = submit(first, shortFile);

            long t0 = System.nanoTime();
            JsonNode longStatus = awaitStatus(first, longId, "IN_PROGRESS", 60);
            JsonNode shortStatus = status(first, shortId);
            assertEquals("IN_PROGRESS", longStatus.path("status").asText());
            assertEquals("IN_QUEUE", shortStatus.path("status").asText(),
                    "with --workers 1 the second job waits while the first runs: " + shortStatus);
            first.kill();
            System.out.printf("CrashRecoveryTest: killed the server %.1f s after submitting, %s IN_PROGRESS, %s IN_QUEUE%n",
                    (System.nanoTime() - t0) / 1e9, longId, shortId);
        } finally {
            first.close();
        }

        try (SottoProcess.Server second = SottoProcess.Server.start(data, tmp, "after-restart", flags)) {
            second.awaitReady();
            long t0 = System.nanoTime();
            awaitStatus(second, longId, "COMPLETED", 180);
            System.out.printf("CrashRecoveryTest: the restarted server completed the long job in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            awaitStatus(second, shortId, "COMPLETED", 60);
            assertEquals(expected.get(longFile.toString()), output(second, longId), "the long job's text after the restart");
            assertEquals(expected.get(shortFile.toString()), output(second, shortId), "the queued job's text after the restart");
        }
    }

    /** {"file path": text} from `sotto transcribe --format json`. */
    Map<String, String> cliTexts(Path tmp, Path... files) throws IOException {
        List<String> args = new ArrayList<>(List.of("transcribe", "--model", SottoProcess.MODEL.toString(), "--format", "json"));
        for (Path f : files) args.add(f.toString());
        Map<String, String> texts = new HashMap<>();
        for (String line : SottoProcess.cli(tmp, args.toArray(String[]::new)).lines().toList()) {
            JsonNode o = json.readTree(line);
            texts.put(o.path("file").asText(), o.path("text").asText());
        }
        for (Path f : files) assertFalse(texts.getOrDefault(f.toString(), "").isEmpty(), f + ": no CLI text in " + texts);
        return texts;
    }

    String submit(SottoProcess.Server server, Path file) throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("audio_url", file.toUri().toString()));
        HttpResponse<String> r = http.send(request(server, "/queue/fal-ai/nemotron/asr")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "submit " + file + ": " + r.body());
        String id = json.readTree(r.body()).path("request_id").asText();
        assertFalse(id.isEmpty(), "a request_id: " + r.body());
        return id;
    }

    JsonNode status(SottoProcess.Server server, String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(server, QUEUE + "/requests/" + id + "/status").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "status of " + id + ": " + r.body());
        return json.readTree(r.body());
    }

    /** Polls until the job reaches `wanted` (or a later state); fails after `seconds`. */
    JsonNode awaitStatus(SottoProcess.Server server, String id, String wanted, int seconds) throws IOException, InterruptedException {
        List<String> order = List.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode s = status(server, id);
            String now = s.path("status").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) seen.add(now);
            assertTrue(order.contains(now), "a fal status for " + id + ": " + s);
            if (order.indexOf(now) >= order.indexOf(wanted)) {
                if (!now.equals(wanted)) {
                    fail(id + " went past " + wanted + " before the test saw it (" + seen + "); its result: "
                            + http.send(request(server, QUEUE + "/requests/" + id).GET().build(), HttpResponse.BodyHandlers.ofString()).body()
                            + " (if that is the transcript, make the audio longer)");
                }
                return s;
            }
            SottoProcess.sleep(50);
        }
        fail(id + " did not reach " + wanted + " within " + seconds + " s; statuses seen " + seen + "\n" + SottoProcess.read(server.log));
        return null;
    }

    String output(SottoProcess.Server server, String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(server, QUEUE + "/requests/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "result of " + id + ": " + r.body());
        JsonNode result = json.readTree(r.body());
        assertFalse(result.path("partial").asBoolean(true), "a final result: " + result);
        return result.path("output").asText();
    }

    HttpRequest.Builder request(SottoProcess.Server server, String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Key " + KEY).header("Accept", "application/json");
    }

    /** A 16-bit mono WAV holding `source` `times` times over. */
    static void writeRepeated(Path source, int times, Path target) throws IOException {
        TestData.Audio audio = TestData.readWav(source);
        float[] s = audio.samples();
        int dataBytes = 2 * s.length * times;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);                  // RIFF, size, WAVE
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1)          // "fmt ", PCM, mono
                .putInt(audio.sampleRate()).putInt(2 * audio.sampleRate()).putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(dataBytes);                                          // "data"
        for (int t = 0; t < times; t++) {
            for (float x : s) b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x * 32768f))));
        }
        Files.write(target, b.array());
    }
}
