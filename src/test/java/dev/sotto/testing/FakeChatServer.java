package dev.sotto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for an OpenAI-compatible model server (vLLM, NIM, llama-server), started by the
 * tests because no vision-language model can run here: {@code POST /v1/chat/completions}
 * records each request body and answers in the chat-completions format (or fails, or never
 * answers, as {@link #mode} says); {@code GET /v1/models} lists {@link #MODEL}. It also serves
 * the files of a directory under {@code /files/}, for video URLs.
 */
public final class FakeChatServer implements AutoCloseable {
    public static final String MODEL = "fake-nemotron-omni";
    public static final String ANSWER = "Four coloured scenes: red, green, blue and white, with a square moving across.";

    /** How chat requests are answered. */
    public enum Mode { ANSWER, ERROR_500, HANG }

    public volatile Mode mode = Mode.ANSWER;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-chat-server");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);

    public FakeChatServer(Path files) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/v1/models", ex -> send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}"));
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/files/", ex -> {
            Path file = files.resolve(ex.getRequestURI().getPath().substring("/files/".length())).normalize();
            if (!file.startsWith(files) || !Files.isRegularFile(file)) {
                send(ex, 404, "not found");
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The OpenAI base URL, e.g. http://127.0.0.1:PORT/v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public String fileUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + name;
    }

    private void chat(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        requests.add(body);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        switch (mode) {
            case ERROR_500 -> send(ex, 500, "{\"error\":{\"message\":\"CUDA out of memory (the fake backend failing on purpose)\","
                    + "\"type\":\"InternalServerError\",\"code\":500}}");
            case HANG -> {
                try {
                    closed.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
            case ANSWER -> {
                ObjectNode out = JSON.createObjectNode();
                out.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", body.path("model").asText());
                ObjectNode choice = out.putArray("choices").addObject();
                choice.put("index", 0).put("finish_reason", "stop");
                choice.putObject("message").put("role", "assistant").put("content", ANSWER);
                out.putObject("usage").put("prompt_tokens", body.toString().length() / 4).put("completion_tokens", 17)
                        .put("total_tokens", body.toString().length() / 4 + 17);
                send(ex, 200, out.toString());
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The prompt_tokens the fake reports for a request body. */
    public static int promptTokens(JsonNode request) {
        return request.toString().length() / 4;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
