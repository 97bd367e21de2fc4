package dev.sotto.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to an OpenAI-compatible model server: builds the chat-completions request for a
 * video (system message, frames as JPEG data URLs in time order each after its time, the timed
 * transcript, the prompt), sends it, and maps the answer back. One deadline covers the whole
 * exchange, body included; every failure is a {@link BackendException}. Thread-safe.
 */
public final class ChatBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    private final BackendConfig config;
    private final HttpClient http;

    public ChatBackend(BackendConfig config) {
        this.config = config;
        Duration connect = config.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? config.timeout() : Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public BackendConfig config() {
        return config;
    }

    /** The chat-completions body for one video question. */
    public ObjectNode request(DescribeRequest ask, VideoInfo info, List<FrameSampler.SampledFrame> frames, TimedTranscript transcript) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", config.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", ask.systemMessage());
        ObjectNode user = messages.addObject().put("role", "user");
        ArrayNode content = user.putArray("content");
        content.addObject().put("type", "text").put("text", String.format(Locale.ROOT,
                "A video of %.1f seconds (%dx%d). %d frames from it follow in time order, each after its time.",
                info.durationSeconds(), info.width(), info.height(), frames.size()));
        for (FrameSampler.SampledFrame f : frames) {
            content.addObject().put("type", "text").put("text", String.format(Locale.ROOT, "Frame at %.2f s%s:", f.seconds(),
                    f.sceneChange() ? " (scene change)" : ""));
            content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(f.jpeg()));
        }
        if (!transcript.isEmpty()) {
            content.addObject().put("type", "text").put("text", "Transcript of the speech in the video's sound track "
                    + "(times in seconds from the start):\n" + transcript.render());
        }
        content.addObject().put("type", "text").put("text", ask.prompt());
        body.put("max_tokens", ask.maxTokens());
        body.put("temperature", ask.temperature());
        body.put("top_p", ask.topP());
        // Nemotron 3 Nano Omni's chat template also reads enable_thinking (vLLM, NIM and llama-server pass it through).
        body.putObject("chat_template_kwargs").put("enable_thinking", ask.reasoning() == DescribeRequest.Reasoning.THINK);
        return body;
    }

    /** Sends a chat-completions request and maps the answer; waits at most the configured timeout. */
    public Answer complete(ObjectNode body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(config.chatCompletions())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), config.timeout());
        if (response.statusCode() / 100 != 2) {
            throw new BackendException("the model server at " + config.chatCompletions() + " answered HTTP " + response.statusCode()
                    + ": " + errorText(response.body()), false);
        }
        return answer(response.body());
    }

    /** What the model server answered, as fal's output. */
    Answer answer(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BackendException("the model server at " + config.chatCompletions() + " answered with something that is not JSON: "
                    + abbreviate(body), false);
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw new BackendException("the model server's answer has no choices[0].message (is " + config.chatCompletions()
                    + " a chat-completions endpoint?): " + abbreviate(body), false);
        }
        String text = text(message.get("content"));
        String reasoning = text(message.has("reasoning_content") ? message.get("reasoning_content") : message.get("reasoning"));
        String output = reasoning.isBlank() ? text : "<think>\n" + reasoning.strip() + "\n</think>\n" + text;
        JsonNode usage = root.path("usage");
        return new Answer(output, choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null,
                usage.path("prompt_tokens").isNumber() ? usage.path("prompt_tokens").asInt() : null,
                usage.path("completion_tokens").isNumber() ? usage.path("completion_tokens").asInt() : null);
    }

    /** A message content as text: a string, or the text parts of a list. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        StringBuilder b = new StringBuilder();
        if (content.isArray()) for (JsonNode part : content) b.append(part.path("text").asText(""));
        return b.toString();
    }

    /** The outcome of asking the model server which models it serves. */
    public record Health(boolean ok, String detail, List<String> models) {
    }

    /** GET {base}/models within a few seconds: whether the server answers and serves the configured model. */
    public Health check() {
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(config.models()).header("Accept", "application/json").GET(), HEALTH_TIMEOUT);
        } catch (BackendException e) {
            return new Health(false, e.getMessage(), List.of());
        }
        if (response.statusCode() / 100 != 2) {
            return new Health(false, "GET " + config.models() + " answered HTTP " + response.statusCode() + ": "
                    + errorText(response.body()), List.of());
        }
        List<String> models = new ArrayList<>();
        try {
            for (JsonNode m : JSON.readTree(response.body()).path("data")) models.add(m.path("id").asText());
        } catch (IOException e) {
            return new Health(false, "GET " + config.models() + " did not answer with JSON: " + abbreviate(response.body()), List.of());
        }
        if (!models.isEmpty() && !models.contains(config.model())) {
            return new Health(false, "the model server answers but does not serve '" + config.model() + "'; it serves: "
                    + String.join(", ", models), models);
        }
        return new Health(true, "answers at " + config.baseUrl() + (models.isEmpty() ? "" : ", serves " + config.model()), models);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) {
        if (config.apiKey() != null) request.header("Authorization", "Bearer " + config.apiKey());
        HttpRequest r = request.timeout(timeout).build();
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(r, timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while waiting for the model server", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) throw timeout(r, timeout);
            if (cause instanceof ConnectException) {
                throw new BackendException("the model server at " + r.uri() + " cannot be reached (connection refused"
                        + " or no route): is it running? (--vlm-url)", false);
            }
            throw new BackendException("the request to the model server at " + r.uri() + " failed: " + cause, false);
        }
    }

    private static BackendException timeout(HttpRequest r, Duration timeout) {
        return new BackendException("the model server at " + r.uri() + " did not answer within " + seconds(timeout)
                + " (--vlm-timeout)", true);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** The message of an OpenAI-style error body ({@code {"error": {"message": ...}}}), else the body itself. */
    private static String errorText(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root.path("error");
            if (error.isTextual()) return error.asText();
            if (error.path("message").isTextual()) return error.path("message").asText();
            if (root.path("detail").isTextual()) return root.path("detail").asText();
            if (root.path("message").isTextual()) return root.path("message").asText();
        } catch (IOException | RuntimeException notJson) {
            // fall through to the raw text
        }
        return abbreviate(body);
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return t.isEmpty() ? "(empty body)" : t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
