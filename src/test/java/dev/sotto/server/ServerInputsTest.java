package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.server.core.ServerConfig;
import dev.sotto.testing.TestData;
import dev.sotto.transcribe.Decoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sotto serve} in this JVM with the real Zipformer: transcripts equal the CLI's, and
 * a corpus of bad input gets a specific 4xx in each API's shape, within its time limit,
 * leaving the server healthy and the spool empty.
 */
class ServerInputsTest {
    static final Path MODEL = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");
    static final Path JFK = TestData.shared().resolve("audio/en/jfk.wav");
    static final ObjectMapper JSON = new ObjectMapper();
    static final long LIMIT = 2 << 20;   // 2 MB uploads in this test

    @TempDir
    static Path tmp;
    static SottoServer strict;     // private URLs refused, one file root
    static SottoServer lenient;    // private URLs allowed (to reach the test's own HTTP server), one queue place, 2 s URL limit
    static HttpServer upstream;    // answers slowly, loops redirects
    static HttpClient http = HttpClient.newHttpClient();
    static String cliText;

    static ServerConfig config(Path data, boolean allowPrivate, List<Path> roots, int maxQueue, List<String> keys,
                               String host) {
        return new ServerConfig(host, 0, List.of(MODEL), Map.of(), keys, false, data, 1, maxQueue, LIMIT, allowPrivate,
                roots, Duration.ofSeconds(2), Duration.ofHours(1), dev.sotto.recognizer.ExecutionConfig.builder().device("cpu").threads(1).build(), Duration.ofSeconds(5), 16, Duration.ofSeconds(30),
                null, null, true, null, null, null, null, null);
    }

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(tmp.resolve("roots/allowed"));
        Files.copy(JFK, tmp.resolve("roots/allowed/jfk.wav"));
        Files.copy(JFK, tmp.resolve("roots/outside.wav"));
        strict = SottoServer.start(config(tmp.resolve("strict"), false, List.of(tmp.resolve("roots/allowed")), 10, List.of(),
                "127.0.0.1"));
        lenient = SottoServer.start(config(tmp.resolve("lenient"), true, List.of(), 1, List.of(), "127.0.0.1"));
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        upstream.createContext("/silent", ex -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                // the test is over
            }
            ex.close();
        });
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.start();
        try (Recognizer r = Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(MODEL).build()).build());
             AudioDecoder audio = AudioDecoder.open(JFK)) {
            cliText = Decoding.run(r, audio, s -> { }).result().text();
        }
    }

    @AfterAll
    static void stop() {
        if (upstream != null) upstream.stop(0);
        if (strict != null) strict.close();
        if (lenient != null) lenient.close();
    }

    static String url(SottoServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers());
    }

    /** A multipart body: each field a string, or a Path / byte[] for a file part. */
    static HttpRequest multipart(String url, Map<String, Object> fields) throws IOException {
        String boundary = "----sotto" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            Object v = f.getValue();
            if (v instanceof String s) {
                body.write(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + s + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] bytes = v instanceof Path p ? Files.readAllBytes(p) : (byte[]) v;
                String name = v instanceof Path p ? p.getFileName().toString() : "upload.wav";
                body.write(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\"" + name + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.write(bytes);
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    static HttpRequest json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void assertOpenAiError(Reply r, int status, String param, String contains) throws IOException {
        assertEquals(status, r.status(), r.body());
        JsonNode e = r.json().get("error");
        assertTrue(e.has("message") && e.has("type") && e.has("param") && e.has("code"), r.body());
        if (param != null) assertEquals(param, e.get("param").asText(), r.body());
        assertTrue(e.get("message").asText().contains(contains), r.body());
    }

    @Test
    void transcriptsEqualTheClis() throws Exception {
        Reply openai = send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK, "model", "whisper-1")));
        assertEquals(200, openai.status(), openai.body());
        assertEquals(cliText, openai.json().get("text").asText());
        Reply fal = send(json(url(strict, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"file://" + tmp.resolve("roots/allowed/jfk.wav") + "\"}"));
        assertEquals(200, fal.status(), fal.body());
        assertEquals(cliText, fal.json().get("output").asText());
        Reply nano = send(multipart(url(strict, "/api/transcribe"), Map.of("audio", JFK, "model", "Whisper-Large-V3")));
        assertEquals(200, nano.status(), nano.body());
        assertEquals(cliText, nano.json().get("transcription").asText());
        assertEquals(11.0, nano.json().at("/metadata/actualDuration").asDouble(), 0.01);
    }

    @Test
    void badAudioIsA400ThatNamesTheProblem() throws Exception {
        byte[] wav = Files.readAllBytes(JFK);
        Map<String, byte[]> corpus = Map.of(
                "text", "this is not audio\n".getBytes(StandardCharsets.UTF_8),
                "empty", new byte[0],
                "header only", java.util.Arrays.copyOf(wav, 44));
        for (var c : corpus.entrySet()) {
            Reply r = send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", c.getValue(), "model", "whisper-1")));
            assertEquals(400, r.status(), c.getKey() + ": " + r.body());
            assertTrue(r.json().at("/error/message").asText().contains("upload.wav"), c.getKey() + ": " + r.body());
            Reply n = send(multipart(url(strict, "/api/transcribe"), Map.of("audio", c.getValue())));
            assertEquals(400, n.status(), c.getKey() + ": " + n.body());
            assertTrue(n.json().get("error").asText().contains("upload.wav"), n.body());
        }
    }

    @Test
    void eightChannels96kHzIsServed() throws Exception {
        byte[] wav = wav(96000, 8, 0.5);
        Reply r = send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", wav, "model", "whisper-1",
                "response_format", "verbose_json")));
        assertEquals(200, r.status(), r.body());
        assertEquals(0.5, r.json().get("duration").asDouble(), 0.01);
    }

    @Test
    void uploadsOverTheLimitAre413() throws Exception {
        byte[] big = new byte[(int) LIMIT * 2];
        // A declared length over the limit is answered at once: the client sends 64 KB of a 20 MB body and gets its 413.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", strict.port())) {
            socket.getOutputStream().write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (10 * LIMIT) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[64 * 1024]);
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer);
        }
        // Chunked: no Content-Length, so the limit bites while the parts are read.
        HttpRequest sized = multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", big, "model", "whisper-1"));
        byte[] body = readAll(sized);
        HttpRequest chunked = HttpRequest.newBuilder(sized.uri()).header("Content-Type", sized.headers().firstValue("Content-Type").get())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        Reply r = send(chunked);
        assertEquals(413, r.status(), r.body());
    }

    @Test
    void malformedAndMissingFieldsNameTheField() throws Exception {
        Reply malformed = send(HttpRequest.newBuilder(URI.create(url(strict, "/v1/audio/transcriptions")))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")).build());
        assertEquals(400, malformed.status(), malformed.body());
        assertOpenAiError(send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("model", "whisper-1"))), 400, "file", "file");
        assertOpenAiError(send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK))), 400, "model", "model");
        assertOpenAiError(send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK, "model", "whisper-1",
                "response_format", "xml"))), 400, "response_format", "xml");
        assertOpenAiError(send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK, "model", "whisper-1",
                "temperature", "hot"))), 400, "temperature", "number");
        assertOpenAiError(send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK, "model", "whisper-9"))),
                404, "model", "Available: zipformer-gigaspeech-3.3m");
        Reply falType = send(json(url(strict, "/fal-ai/nemotron/asr"), "{\"audio_url\": 5}"));
        assertEquals(422, falType.status(), falType.body());
        assertEquals("audio_url", falType.json().at("/detail/0/loc/1").asText());
        Reply falMissing = send(json(url(strict, "/queue/fal-ai/nemotron/asr"), "{}"));
        assertEquals(422, falMissing.status(), falMissing.body());
        Reply notJson = send(json(url(strict, "/api/transcribe"), "{not json"));
        assertEquals(400, notJson.status(), notJson.body());
        Reply nanoMissing = send(json(url(strict, "/api/transcribe"), "{\"model\":\"Whisper-Large-V3\"}"));
        assertEquals(400, nanoMissing.status(), nanoMissing.body());
        assertEquals("audioUrl", nanoMissing.json().get("field").asText());
        Reply diarize = send(multipart(url(strict, "/api/transcribe"), Map.of("audio", JFK, "diarize", "true")));
        assertEquals(400, diarize.status(), diarize.body());
        // This server has no Silero VAD (none beside the model, no --vad-model): it says so and what to do.
        assertEquals("diarize", diarize.json().get("field").asText(), diarize.body());
        assertTrue(diarize.json().get("error").asText().contains("--vad-model"), diarize.body());
    }

    @Test
    void urlsOutsideThePolicyAreRefused() throws Exception {
        String outside = "file://" + tmp.resolve("roots/outside.wav");
        Reply file = send(json(url(strict, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"" + outside + "\"}"));
        assertEquals(400, file.status(), file.body());
        assertTrue(file.json().get("detail").asText().contains("--allow-file-root"), file.body());
        String escape = "file://" + tmp.resolve("roots/allowed/../outside.wav");
        assertEquals(400, send(json(url(strict, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"" + escape + "\"}")).status());
        Reply loopback = send(json(url(strict, "/api/transcribe"), "{\"audioUrl\":\"http://127.0.0.1:" + upstream.getAddress().getPort() + "/x.wav\"}"));
        assertEquals(400, loopback.status(), loopback.body());
        assertTrue(loopback.json().get("error").asText().contains("--allow-private-urls"), loopback.body());
        Reply metadata = send(json(url(strict, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"http://169.254.169.254/latest\"}"));
        assertEquals(400, metadata.status(), metadata.body());
    }

    @Test
    void slowAndLoopingUrlsFailWithinTheLimit() throws Exception {
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        long start = System.nanoTime();
        Reply silent = send(json(url(lenient, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"" + base + "/silent\"}"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(silent.status() >= 400 && silent.status() < 500, silent.body());
        assertTrue(seconds < 8, "took " + seconds + " s");
        Reply loop = send(json(url(lenient, "/fal-ai/nemotron/asr"), "{\"audio_url\":\"" + base + "/loop\"}"));
        assertEquals(400, loop.status(), loop.body());
        assertTrue(loop.json().get("detail").asText().contains("redirect"), loop.body());
    }

    @Test
    void aFullQueueIs429WithRetryAfter() throws Exception {
        String slow = "{\"audio_url\":\"http://127.0.0.1:" + upstream.getAddress().getPort() + "/silent\"}";
        String submit = url(lenient, "/queue/fal-ai/nemotron/asr");
        String id = send(json(submit, slow)).json().get("request_id").asText();
        String status = url(lenient, "/queue/fal-ai/nemotron/requests/" + id + "/status");
        for (int i = 0; i < 100 && !send(HttpRequest.newBuilder(URI.create(status)).build()).body().contains("IN_PROGRESS"); i++) {
            Thread.sleep(20);
        }
        assertEquals(200, send(json(submit, slow)).status());   // the one place in the queue
        Reply full = send(json(submit, slow));
        assertEquals(429, full.status(), full.body());
        assertTrue(full.headers().firstValue("Retry-After").isPresent());
        // The running job fails on its silent URL, and still ends COMPLETED with the error as its result.
        for (int i = 0; i < 600 && !send(HttpRequest.newBuilder(URI.create(status)).build()).body().contains("COMPLETED"); i++) {
            Thread.sleep(50);
        }
        Reply result = send(HttpRequest.newBuilder(URI.create(url(lenient, "/queue/fal-ai/nemotron/requests/" + id))).build());
        assertTrue(result.status() >= 400 && result.status() < 500, result.body());
        assertTrue(result.json().get("detail").asText().contains("did not answer"), result.body());
    }

    @Test
    void keysAreRequiredWhenConfiguredAndExposedServersNeedOne() throws Exception {
        try (SottoServer keyed = SottoServer.start(config(tmp.resolve("keyed"), false, List.of(), 10, List.of("s3cret"),
                "127.0.0.1"))) {
            String models = url(keyed, "/v1/models");
            Reply none = send(HttpRequest.newBuilder(URI.create(models)).build());
            assertOpenAiError(none, 401, null, "API key");
            Reply wrong = send(HttpRequest.newBuilder(URI.create(models)).header("Authorization", "Bearer nope").build());
            assertOpenAiError(wrong, 401, null, "Incorrect");
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(models)).header("Authorization", "Bearer s3cret").build()).status());
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(models)).header("x-api-key", "s3cret").build()).status());
            Reply fal = send(HttpRequest.newBuilder(URI.create(url(keyed, "/fal-ai/nemotron/asr"))).header("Content-Type", "application/json")
                    .header("Authorization", "Key nope").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(401, fal.status());
            assertTrue(fal.json().has("detail"), fal.body());
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(url(keyed, "/health"))).build()).status());
        }
        SottoException e = assertThrows(SottoException.class, () -> SottoServer.start(config(tmp.resolve("open"), false,
                List.of(), 10, List.of(), "0.0.0.0")));
        assertTrue(e.getMessage().contains("--api-key") && e.getMessage().contains("--no-auth"), e.getMessage());
    }

    @Test
    void modelsHealthAndMetrics() throws Exception {
        JsonNode models = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url(strict, "/v1/models"))).build()).body());
        List<String> ids = new java.util.ArrayList<>();
        models.get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertTrue(ids.containsAll(List.of("zipformer-gigaspeech-3.3m", "whisper-1", "Elevenlabs-STT", "fal-ai/nemotron/asr")), ids.toString());
        Reply one = send(HttpRequest.newBuilder(URI.create(url(strict, "/v1/models/whisper-1"))).build());
        assertEquals("zipformer-gigaspeech-3.3m", one.json().get("root").asText());
        JsonNode health = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url(strict, "/health"))).build()).body());
        assertEquals("CPUExecutionProvider", health.at("/models/0/provider").asText());
        assertTrue(!health.at("/models/0/provider_reason").asText().isEmpty(), "which provider, and why: " + health);
        send(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", JFK, "model", "whisper-1")));
        String metrics = send(HttpRequest.newBuilder(URI.create(url(strict, "/metrics"))).build()).body();
        for (String name : List.of("sotto_requests_total{endpoint=\"/v1/audio/transcriptions\",status=\"200\"}",
                "sotto_audio_seconds_total", "sotto_queue_depth", "sotto_jobs{state=\"queued\"}",
                "sotto_real_time_factor_bucket", "sotto_model_load_seconds")) {
            assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
        }
    }

    /** Sotto's additions for the web page: models say how they stream, chunk_ms is checked, verbose_json streams. */
    @Test
    void chunkSizesAndStreamedVerboseJson() throws Exception {
        JsonNode model = send(HttpRequest.newBuilder(URI.create(url(strict, "/v1/models/zipformer-gigaspeech-3.3m"))).build()).json();
        assertTrue(model.get("streaming").asBoolean(), model.toString());
        assertEquals(320, model.get("chunk_ms").asInt());
        assertEquals("[320]", model.get("chunk_sizes").toString());
        String endpoint = url(strict, "/v1/audio/transcriptions");
        Reply same = send(multipart(endpoint, Map.of("file", JFK, "model", "whisper-1", "chunk_ms", "320")));
        assertEquals(200, same.status(), same.body());
        assertEquals(cliText, same.json().get("text").asText());
        assertOpenAiError(send(multipart(endpoint, Map.of("file", JFK, "model", "whisper-1", "chunk_ms", "160"))), 400,
                "chunk_ms", "one fixed chunk size, 320 ms");
        assertOpenAiError(send(multipart(endpoint, Map.of("file", JFK, "model", "whisper-1", "chunk_ms", "fast"))), 400,
                "chunk_ms", "positive whole number");

        Reply plain = send(multipart(endpoint, Map.of("file", JFK, "model", "whisper-1", "response_format", "verbose_json")));
        Reply streamed = send(multipart(endpoint, Map.of("file", JFK, "model", "whisper-1", "response_format", "verbose_json",
                "stream", "true")));
        assertEquals(200, streamed.status(), streamed.body());
        List<JsonNode> events = new java.util.ArrayList<>();
        for (String line : streamed.body().split("\n")) if (line.startsWith("data: ")) events.add(JSON.readTree(line.substring(6)));
        JsonNode done = events.get(events.size() - 1);
        assertEquals("transcript.text.done", done.get("type").asText());
        assertEquals(plain.json(), done.get("transcript"), "the done event carries the plain answer's verbose_json");
        List<JsonNode> deltas = events.subList(0, events.size() - 1);
        assertEquals(plain.json().get("segments").size(), deltas.size(), streamed.body());
        for (int i = 0; i < deltas.size(); i++) {
            JsonNode segment = plain.json().get("segments").get(i);
            assertEquals(segment.get("end").asDouble(), deltas.get(i).at("/segment/end").asDouble(), 1e-9);
            assertEquals(segment.get("text").asText(), deltas.get(i).at("/segment/text").asText());
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndGiveTheSameText() throws Exception {
        List<Path> files = List.of(JFK, TestData.shared().resolve("audio/en/leopard-test-en.wav"),
                TestData.shared().resolve("audio/en/jfk.flac"));
        Map<Path, String> expected = new java.util.HashMap<>();
        try (Recognizer r = Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(MODEL).build()).build())) {
            for (Path f : files) {
                try (AudioDecoder audio = AudioDecoder.open(f)) {
                    expected.put(f, Decoding.run(r, audio, s -> { }).result().text());
                }
            }
        }
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies = new java.util.ArrayList<>();
        List<Path> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Path f = files.get(i % files.size());
            sent.add(f);
            replies.add(http.sendAsync(multipart(url(strict, "/v1/audio/transcriptions"), Map.of("file", f, "model", "whisper-1")),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < replies.size(); i++) {
            HttpResponse<String> r = replies.get(i).join();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(expected.get(sent.get(i)), JSON.readTree(r.body()).get("text").asText(), sent.get(i).toString());
        }
    }

    @Test
    void shutdownFinishesRunningRequestsAndRefusesNewOnes() throws Exception {
        // 132 s of speech: long enough to still be decoding when the server is told to stop.
        TestData.Audio jfk = TestData.readWav(JFK);
        float[] samples = new float[jfk.samples().length * 12];
        for (int i = 0; i < 12; i++) System.arraycopy(jfk.samples(), 0, samples, i * jfk.samples().length, jfk.samples().length);
        byte[] wav = wav16k(samples);
        SottoServer server = SottoServer.start(new ServerConfig("127.0.0.1", 0, List.of(MODEL), Map.of(), List.of(), false,
                tmp.resolve("stopping"), 1, 10, 64 << 20, false, List.of(), Duration.ofSeconds(2), Duration.ofHours(1), dev.sotto.recognizer.ExecutionConfig.builder().device("cpu").threads(1).build(),
                Duration.ofSeconds(30), 16, Duration.ofSeconds(30), null, null, true, null, null, null, null, null));
        String health = url(server, "/health");
        var running = http.sendAsync(multipart(url(server, "/v1/audio/transcriptions"), Map.of("file", wav,
                "model", "whisper-1")), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        Thread stopper = new Thread(server::close);
        stopper.start();
        Thread.sleep(100);
        try {
            int late = send(HttpRequest.newBuilder(URI.create(health)).build()).status();
            assertEquals(503, late);
        } catch (IOException refused) {
            // also fine: the listener may already be closed
        }
        HttpResponse<String> r = running.join();
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("text").asText().startsWith(cliText), r.body());
        stopper.join();
    }

    @AfterAll
    static void spoolIsEmpty() throws IOException {
        for (String server : List.of("strict", "lenient")) {
            Path spool = tmp.resolve(server).resolve("spool");
            if (!Files.exists(spool)) continue;
            try (Stream<Path> files = Files.walk(spool)) {
                List<Path> left = files.filter(Files::isRegularFile).toList();
                assertEquals(List.of(), left, "files left in the spool");
            }
        }
    }

    /** 16 kHz mono 16-bit WAV of {@code samples}. */
    static byte[] wav16k(float[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples.length * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000)
                .putInt(32000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples.length * 2);
        for (float v : samples) b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
        return b.array();
    }

    /** A WAV of a 440 Hz tone at the given rate and channel count. */
    static byte[] wav(int rate, int channels, double seconds) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * channels * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * channels * 2);
        for (int i = 0; i < frames; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
            for (int c = 0; c < channels; c++) b.putShort(v);
        }
        return b.array();
    }

    static byte[] readAll(HttpRequest request) {
        var sub = new java.util.concurrent.Flow.Subscriber<ByteBuffer>() {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final java.util.concurrent.CompletableFuture<byte[]> done = new java.util.concurrent.CompletableFuture<>();

            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.write(b, 0, b.length);
            }

            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            public void onComplete() {
                done.complete(out.toByteArray());
            }
        };
        request.bodyPublisher().orElseThrow().subscribe(sub);
        return sub.done.join();
    }

}
