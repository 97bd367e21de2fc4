package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.server.core.ServerConfig;
import dev.sotto.testing.FakeChatServer;
import dev.sotto.testing.TestData;
import dev.sotto.testing.TestVideos;
import dev.sotto.video.BackendConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fal's {@code nvidia/nemotron-3-nano-omni/video} and {@code sotto describe} against a fake
 * OpenAI-compatible model server ({@link FakeChatServer}): no vision-language model can run
 * here, so what is tested is everything on Sotto's side — the media checks, the frames and the
 * transcript the model server receives, the options, the mapping of its answer and of its
 * failures, the queue, and the official {@code @fal-ai/client} through the queue.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VideoEndpointTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENDPOINT = "/nvidia/nemotron-3-nano-omni/video";
    static final Pattern FRAME = Pattern.compile("Frame at (\\d+\\.\\d+) s( \\(scene change\\))?:");
    static final Pattern LINE = Pattern.compile("\\[(\\d+\\.\\d)-(\\d+\\.\\d) s\\] (.*)");

    @TempDir
    static Path tmp;
    static Path files;
    static FakeChatServer fake;
    static SottoServer open;     // --vlm-url, --allow-private-urls
    static SottoServer strict;   // --vlm-url, default URL policy
    static SottoServer bare;     // no --vlm-url
    static String cliText;       // `sotto transcribe` of scenes.mp4
    static final HttpClient http = HttpClient.newHttpClient();

    static ServerConfig config(Path data, boolean allowPrivate, BackendConfig vlm) {
        return new ServerConfig("127.0.0.1", 0, List.of(SottoProcess.MODEL), Map.of(), List.of(), false, data, 1, 100, 64L << 20,
                allowPrivate, List.of(), Duration.ofSeconds(10), Duration.ofHours(1), ExecutionConfig.builder().device("cpu").threads(1).build(),
                Duration.ofSeconds(5), 16, Duration.ofSeconds(30), null, null, true, vlm, null, null, null, null);
    }

    @BeforeAll
    static void start() throws Exception {
        files = Files.createDirectories(tmp.resolve("files"));
        TestVideos.scenes(files.resolve("scenes.mp4"));
        TestVideos.silent(files.resolve("long.mp4"), 32, 32, 1, 121);
        TestVideos.silent(files.resolve("large.mp4"), 1920, 1088, 1, 1);
        TestVideos.silent(files.resolve("small.mp4"), 64, 36, 5, 2);
        Files.copy(TestData.shared().resolve("audio/en/jfk.wav"), files.resolve("jfk.wav"));
        Files.writeString(files.resolve("notes.txt"), "Not a video, just some text.\n");
        fake = new FakeChatServer(files);
        BackendConfig vlm = BackendConfig.of(fake.baseUrl(), FakeChatServer.MODEL, "backend-key", Duration.ofSeconds(3));
        open = SottoServer.start(config(tmp.resolve("open"), true, vlm));
        strict = SottoServer.start(config(tmp.resolve("strict"), false, vlm));
        bare = SottoServer.start(config(tmp.resolve("bare"), true, null));
        cliText = SottoProcess.cli(tmp, "transcribe", "--model", SottoProcess.MODEL.toString(), files.resolve("scenes.mp4").toString()).strip();
        assertTrue(cliText.length() > 10, "the CLI hears the speech in scenes.mp4: " + cliText);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {open, strict, bare, fake}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    record Reply(int status, JsonNode json, double seconds) {
    }

    static Reply post(SottoServer s, String path, String body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), (System.nanoTime() - start) / 1e9);
    }

    static Reply get(SottoServer s, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), 0);
    }

    static String input(String video, Object... more) {
        ObjectNode o = JSON.createObjectNode();
        if (video != null) o.put("video_url", video.startsWith("data:") ? video : fake.fileUrl(video));
        o.put("prompt", "What happens in this video?");
        for (int i = 0; i < more.length; i += 2) o.set((String) more[i], JSON.valueToTree(more[i + 1]));
        return o.toString();
    }

    static JsonNode lastRequest() {
        return fake.requests.get(fake.requests.size() - 1);
    }

    /** The user message's parts: the frames (time, decoded image) in order, the transcript lines, the prompt. */
    record Sent(List<Double> times, int images, List<String> transcript, String prompt) {
    }

    static Sent parse(JsonNode request) throws IOException {
        JsonNode parts = request.path("messages").path(1).path("content");
        List<Double> times = new ArrayList<>();
        List<String> transcript = new ArrayList<>();
        int images = 0;
        for (int i = 0; i < parts.size(); i++) {
            JsonNode p = parts.get(i);
            if (p.path("type").asText().equals("image_url")) {
                String url = p.path("image_url").path("url").asText();
                assertTrue(url.startsWith("data:image/jpeg;base64,"), "a JPEG data URL");
                assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)))),
                        "image part " + i + " decodes as an image");
                Matcher m = FRAME.matcher(parts.get(i - 1).path("text").asText());
                assertTrue(m.matches(), "each image follows its time: " + parts.get(i - 1));
                times.add(Double.parseDouble(m.group(1)));
                images++;
            } else if (p.path("text").asText().startsWith("Transcript")) {
                for (String line : p.path("text").asText().lines().skip(1).toList()) {
                    Matcher m = LINE.matcher(line);
                    assertTrue(m.matches(), "a timed transcript line: " + line);
                    assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(m.group(2)));
                    transcript.add(m.group(3));
                }
            }
        }
        return new Sent(times, images, transcript, parts.get(parts.size() - 1).path("text").asText());
    }

    @Test
    void answersInFalsShapeWithFramesTranscriptAndOptionsSent() throws Exception {
        Reply r = post(open, ENDPOINT, input("scenes.mp4", "max_tokens", 300, "temperature", 0.2, "top_p", 0.5));
        assertEquals(200, r.status(), r.json().toString());
        JsonNode sent = lastRequest();
        ObjectNode expected = JSON.createObjectNode().put("output", FakeChatServer.ANSWER).put("finish_reason", "stop");
        expected.putObject("usage").put("input_tokens", FakeChatServer.promptTokens(sent)).put("output_tokens", 17);
        assertEquals(expected, r.json());

        assertEquals(FakeChatServer.MODEL, sent.path("model").asText());
        assertEquals("Bearer backend-key", fake.authorizations.get(fake.authorizations.size() - 1));
        assertEquals("system", sent.path("messages").path(0).path("role").asText());
        assertEquals("/no_think", sent.path("messages").path(0).path("content").asText(), "reasoning_mode defaults to no_think");
        assertEquals(false, sent.path("chat_template_kwargs").path("enable_thinking").asBoolean(true));
        assertEquals(300, sent.path("max_tokens").asInt());
        assertEquals(0.2, sent.path("temperature").asDouble());
        assertEquals(0.5, sent.path("top_p").asDouble());

        Sent s = parse(sent);
        assertEquals(16, s.images(), "16 frames by default");
        for (int i = 1; i < s.times().size(); i++) assertTrue(s.times().get(i) > s.times().get(i - 1), "time order: " + s.times());
        assertTrue(s.times().get(0) >= 0 && s.times().get(s.times().size() - 1) <= 11.0, s.times().toString());
        assertEquals(cliText, String.join(" ", s.transcript()), "the transcript is the CLI's for the same file and model");
        assertEquals("What happens in this video?", s.prompt());
    }

    @Test
    void reasoningModeAndSystemPromptBecomeTheSystemMessage() throws Exception {
        assertEquals(200, post(open, ENDPOINT, input("small.mp4", "reasoning_mode", "think")).status());
        JsonNode sent = lastRequest();
        assertEquals("/think", sent.path("messages").path(0).path("content").asText());
        assertEquals(true, sent.path("chat_template_kwargs").path("enable_thinking").asBoolean());
        assertEquals(1024, sent.path("max_tokens").asInt(), "fal's default max_tokens");
        assertEquals(0.7, sent.path("temperature").asDouble(), "fal's default temperature");
        assertEquals(0.95, sent.path("top_p").asDouble(), "fal's default top_p");
        assertTrue(parse(sent).transcript().isEmpty(), "a video without sound sends no transcript");

        assertEquals(200, post(open, ENDPOINT, input("small.mp4", "system_prompt", "You are terse.", "reasoning_mode", "think")).status());
        assertEquals("You are terse.", lastRequest().path("messages").path(0).path("content").asText(), "system_prompt replaces the control");
    }

    static void assertValidation(Reply r, String field, String type) {
        assertEquals(422, r.status(), r.json().toString());
        boolean found = false;
        for (JsonNode d : r.json().path("detail")) {
            if (d.path("loc").path(1).asText().equals(field) && d.path("type").asText().equals(type)) {
                assertEquals("body", d.path("loc").path(0).asText());
                assertTrue(d.path("msg").asText().length() > 5);
                found = true;
            }
        }
        assertTrue(found, field + "/" + type + " in " + r.json());
    }

    @Test
    void badInputsAre422sInFalsValidationShapeAndNeverReachTheModelServer() throws Exception {
        int before = fake.requests.size();
        Reply r = post(open, ENDPOINT, "{\"max_tokens\": 0}");
        assertValidation(r, "video_url", "missing");
        assertValidation(r, "prompt", "missing");
        assertValidation(r, "max_tokens", "greater_than_equal");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "max_tokens", 20001)), "max_tokens", "less_than_equal");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "max_tokens", "ten")), "max_tokens", "int_type");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "max_tokens", 1.5)), "max_tokens", "int_type");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "temperature", 2.5)), "temperature", "less_than_equal");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "temperature", -0.1)), "temperature", "greater_than_equal");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "top_p", 1.5)), "top_p", "less_than_equal");
        assertValidation(post(open, ENDPOINT, input("scenes.mp4", "reasoning_mode", "maybe")), "reasoning_mode", "enum");

        Reply tooLong = post(open, ENDPOINT, input("long.mp4"));
        assertValidation(tooLong, "video_url", "video_duration_too_long");
        String why = tooLong.json().path("detail").path(0).path("msg").asText();
        assertTrue(why.contains(fake.fileUrl("long.mp4")) && why.contains("121.0 s") && why.contains("120 s"), why);
        assertValidation(post(open, ENDPOINT, input("large.mp4")), "video_url", "video_resolution_too_large");
        assertValidation(post(open, ENDPOINT, input("jfk.wav")), "video_url", "no_video_stream");
        assertValidation(post(open, ENDPOINT, input("notes.txt")), "video_url", "unsupported_video_format");
        assertEquals(before, fake.requests.size(), "nothing was sent to the model server");

        Reply missing = post(open, ENDPOINT, input("missing.mp4"));
        assertTrue(missing.status() >= 400 && missing.status() < 500 && missing.json().path("detail").isTextual(), missing.json().toString());
        Reply refused = post(strict, ENDPOINT, input("scenes.mp4"));
        assertTrue(refused.status() >= 400 && refused.status() < 500, "a loopback video_url is refused by default: " + refused.json());
        assertTrue(refused.json().path("detail").asText().contains("--allow-private-urls"), refused.json().toString());
    }

    @Test
    void withoutAModelServerThe503SaysWhatToConfigure() throws Exception {
        Reply r = post(bare, ENDPOINT, input("scenes.mp4"));
        assertEquals(503, r.status());
        assertTrue(r.json().path("detail").asText().contains("--vlm-url URL --vlm-model NAME"), r.json().toString());
        assertEquals(503, post(bare, "/queue" + ENDPOINT, input("scenes.mp4")).status(), "the queue refuses it at submit");
        assertTrue(get(bare, "/health").json().path("video").path("backend").asText().contains("not configured"));
        JsonNode health = get(open, "/health").json().path("video");
        assertEquals(true, health.path("backend_ok").asBoolean(), health.toString());
        assertEquals(FakeChatServer.MODEL, health.path("model").asText());
    }

    @Test
    void modelServerFailuresAre502And504NeverAHang() throws Exception {
        try {
            fake.mode = FakeChatServer.Mode.ERROR_500;
            Reply r = post(open, ENDPOINT, input("small.mp4"));
            assertEquals(502, r.status(), r.json().toString());
            assertTrue(r.json().path("detail").asText().contains("HTTP 500") && r.json().path("detail").asText().contains("CUDA out of memory"),
                    r.json().toString());
            JsonNode queued = queueAndWait(input("small.mp4"));
            assertEquals(502, queued.path("status").asInt(), queued.toString());
            assertTrue(queued.path("body").path("detail").asText().contains("HTTP 500"), queued.toString());

            fake.mode = FakeChatServer.Mode.HANG;
            r = post(open, ENDPOINT, input("small.mp4"));
            assertEquals(504, r.status(), r.json().toString());
            assertTrue(r.json().path("detail").asText().contains("did not answer within 3 s"), r.json().toString());
            assertTrue(r.seconds() < 30, "answered in " + r.seconds() + " s with a 3 s --vlm-timeout");
        } finally {
            fake.mode = FakeChatServer.Mode.ANSWER;
        }
    }

    /** Submits to the queue, polls until COMPLETED, returns {status, body} of the result request. */
    static JsonNode queueAndWait(String body) throws Exception {
        Reply submitted = post(open, "/queue" + ENDPOINT, body);
        assertEquals(200, submitted.status(), submitted.json().toString());
        String id = submitted.json().path("request_id").asText();
        String base = "/queue/nvidia/nemotron-3-nano-omni/requests/" + id;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; Thread.sleep(100)) {
            if (get(open, base + "/status").json().path("status").asText().equals("COMPLETED")) break;
        }
        Reply result = get(open, base);
        return JSON.createObjectNode().put("status", result.status()).set("body", result.json());
    }

    @Test
    void aDataUrlVideoWorksSynchronouslyAndThroughTheQueue() throws Exception {
        String data = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(files.resolve("small.mp4")));
        Reply r = post(open, ENDPOINT, input(data));
        assertEquals(200, r.status(), r.json().toString());
        assertEquals(FakeChatServer.ANSWER, r.json().path("output").asText());
        JsonNode queued = queueAndWait(input(data));
        assertEquals(200, queued.path("status").asInt(), queued.toString());
        assertEquals(FakeChatServer.ANSWER, queued.path("body").path("output").asText());
        int images = parse(lastRequest()).images();
        assertTrue(images >= 8 && images <= 10, "a 2 s video at 5 fps has 10 frames: 16 asked give each at most once, got " + images);
        assertValidation(post(open, ENDPOINT, input("data:video/mp4;base64,bm90IGEgdmlkZW8=")), "video_url", "unsupported_video_format");
        // Past the 1 MB other JSON bodies may have: the same video with 1.5 MB of padding after its last box.
        byte[] video = Files.readAllBytes(files.resolve("small.mp4"));
        byte[] padded = java.util.Arrays.copyOf(video, video.length + (3 << 19));
        java.nio.ByteBuffer.wrap(padded, video.length, 8).putInt(3 << 19).put("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        r = post(open, ENDPOINT, input("data:video/mp4;base64," + Base64.getEncoder().encodeToString(padded)));
        assertEquals(200, r.status(), r.json().toString());
    }

    @Test
    void theCliDescribesWithTheSameMediaWork() throws Exception {
        String out = SottoProcess.cli(tmp, "describe", files.resolve("scenes.mp4").toString(), "--prompt", "Describe it.",
                "--reasoning", "think", "--frames", "6", "--max-tokens", "99", "--model", SottoProcess.MODEL.toString(),
                "--vlm-url", fake.baseUrl(), "--vlm-model", FakeChatServer.MODEL);
        assertEquals(FakeChatServer.ANSWER, out.strip());
        JsonNode sent = lastRequest();
        Sent s = parse(sent);
        assertEquals(6, s.images());
        assertEquals("/think", sent.path("messages").path(0).path("content").asText());
        assertEquals(99, sent.path("max_tokens").asInt());
        assertEquals(cliText, String.join(" ", s.transcript()));
        assertEquals("Describe it.", s.prompt());

        String doctor = SottoProcess.cli(tmp, "doctor", "--device", "cpu", "--vlm-url", fake.baseUrl(), "--vlm-model", FakeChatServer.MODEL);
        assertTrue(doctor.contains("vlm") && doctor.contains("works: answers at " + fake.baseUrl()), doctor);
        Process p = SottoProcess.sotto("doctor", "--device", "cpu", "--vlm-url", fake.baseUrl(), "--vlm-model", "another-model")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.contains("does not serve 'another-model'"), text);
    }

    @Test
    void theOfficialFalClientGoesThroughTheQueue() throws Exception {
        ClientsTest.Node.require();
        ClientsTest.Node.install();
        int status = ClientsTest.Node.run(tmp, Map.of(
                "SOTTO_URL", "http://127.0.0.1:" + open.port(),
                "VIDEO_URL", fake.fileUrl("scenes.mp4"),
                "EXPECTED_OUTPUT", FakeChatServer.ANSWER), List.of("omni.test.mjs"));
        assertEquals(0, status, "node --test omni.test.mjs failed: see its output above");
    }
}
