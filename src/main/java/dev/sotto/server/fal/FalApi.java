package dev.sotto.server.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.StreamOptions;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.FalQueue;
import dev.sotto.server.core.Job;
import dev.sotto.server.core.JobContext;
import dev.sotto.server.core.Models;
import dev.sotto.server.core.Outcome;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.core.Upload;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fal's Nemotron ASR endpoints: synchronous ({@code POST /fal-ai/nemotron/asr}), the queue
 * under {@code /queue/...} as the official client calls it (status and result paths keep
 * only owner/app), and fal's proxy convention ({@code /fal/proxy} with
 * {@code x-fal-target-url}). A queued request that fails still ends {@code COMPLETED}
 * (the client polls until it sees that) and its result answers with the error.
 */
public final class FalApi implements Api {
    static final String JOB_KIND = "fal";
    /** Endpoint → the app part its queue status and result paths keep. */
    private static final List<String> ENDPOINTS = List.of(Models.FAL_ENGLISH, Models.FAL_MULTILINGUAL);
    private static final Pattern REQUEST = Pattern.compile("/queue/(.+)/requests/([0-9a-fA-F-]{36})(/status(/stream)?|/cancel)?");

    private final ServerContext server;
    private final FalQueue queue;

    public FalApi(ServerContext server) {
        this.server = server;
        this.queue = new FalQueue(server);
        server.runJobs(JOB_KIND, this::runJob);
    }

    @Override
    public void register(RoutesConfig routes) {
        for (String endpoint : ENDPOINTS) {
            String app = app(endpoint);
            routes.post("/" + endpoint, guarded(ctx -> sync(ctx, endpoint)));
            routes.post("/" + endpoint + "/stream", guarded(ctx -> stream(ctx, endpoint)));
            routes.post("/queue/" + endpoint, guarded(ctx -> submit(ctx, endpoint)));
            routes.get("/queue/" + app + "/requests/{id}/status", guarded(ctx -> status(ctx, ctx.pathParam("id"))));
            routes.get("/queue/" + app + "/requests/{id}/status/stream", guarded(ctx -> statusStream(ctx, ctx.pathParam("id"))));
            routes.get("/queue/" + app + "/requests/{id}", guarded(ctx -> result(ctx, ctx.pathParam("id"))));
            routes.put("/queue/" + app + "/requests/{id}/cancel", guarded(ctx -> cancel(ctx, ctx.pathParam("id"))));
        }
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT)) {
            routes.addHttpHandler(method, "/fal/proxy", guarded(this::proxy));
        }
    }

    private io.javalin.http.Handler guarded(io.javalin.http.Handler h) {
        return Requests.guarded(server, FalApi::error, h);
    }

    static void error(Context ctx, ServeException e) {
        FalQueue.error(ctx, e);
    }

    static ObjectNode errorBody(ServeException e) {
        return FalQueue.errorBody(e);
    }

    private static String app(String endpoint) {
        return FalQueue.app(endpoint);
    }

    /** The validated input of a request: {@code audio_url} required, {@code acceleration} and {@code language} optional. */
    private record Input(String audioUrl, String acceleration, String language) {
        static Input of(JsonNode body) {
            String url;
            String acceleration;
            String language;
            try {
                url = Requests.requiredText(body, "audio_url");
                acceleration = Requests.text(body, "acceleration");
                language = Requests.text(body, "language");
            } catch (ServeException e) {
                throw new ServeException(422, e.code(), e.param(), e.getMessage());
            }
            return new Input(url, acceleration, language);
        }
    }

    private ServedModel model(String endpoint) {
        return server.models().resolve(endpoint);
    }

    private void sync(Context ctx, String endpoint) {
        Input input = Input.of(Requests.jsonBody(ctx));
        ServedModel model = model(endpoint);
        ObjectNode out = transcribe(model, input);
        ctx.header("x-fal-request-id", UUID.randomUUID().toString());
        ctx.contentType("application/json").result(out.toString());
    }

    /**
     * fal's streaming endpoint: server-sent events whose {@code data:} is
     * {@code {"output": <text so far>, "partial": true}} after each decoding step that changed
     * the text, the last one {@code partial: false}; no {@code [DONE]} line (the official client
     * parses every {@code data:} as JSON). Errors before the first event are ordinary fal errors.
     */
    private void stream(Context ctx, String endpoint) throws IOException, InterruptedException {
        Input input = Input.of(Requests.jsonBody(ctx));
        ServedModel model = model(endpoint);
        java.util.concurrent.BlockingQueue<String> partials = new java.util.concurrent.LinkedBlockingQueue<>();
        String end = "\u0000end";
        var job = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Upload audio = Requests.fetch(server, input.audioUrl(), "audio_url")) {
                String[] last = {""};
                return server.transcribe(model, audio, StreamOptions.language(language(input)), input.acceleration(), r -> {
                    if (!r.text().equals(last[0])) {
                        last[0] = r.text();
                        partials.add(r.text());
                    }
                });
            } finally {
                partials.add(end);
            }
        });
        OutputStream out = null;
        for (String text = partials.take(); !text.equals(end); text = partials.take()) {
            if (out == null) out = startEvents(ctx);
            event(out, ServerContext.JSON.createObjectNode().put("output", text).put("partial", true));
        }
        ServedModel.Transcription t;
        try {
            t = job.join();
        } catch (java.util.concurrent.CompletionException e) {
            ServeException failure = e.getCause() instanceof ServeException se ? se
                    : new ServeException(500, "server_error", null, "decoding failed: " + e.getCause().getMessage());
            if (out == null) throw failure;
            event(out, errorBody(failure));
            return;
        }
        if (out == null) out = startEvents(ctx);
        ctx.attribute("audio_seconds", t.audioSeconds());
        event(out, ServerContext.JSON.createObjectNode().put("output", t.result().text()).put("partial", false));
    }

    private static OutputStream startEvents(Context ctx) throws IOException {
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                .header("x-fal-request-id", UUID.randomUUID().toString());
        return ctx.res().getOutputStream();
    }

    private static void event(OutputStream out, ObjectNode data) throws IOException {
        FalQueue.event(out, data);
    }

    private ObjectNode transcribe(ServedModel model, Input input) {
        try (Upload audio = Requests.fetch(server, input.audioUrl(), "audio_url")) {
            ServedModel.Transcription t = server.transcribe(model, audio, StreamOptions.language(language(input)),
                    input.acceleration(), r -> { });
            return ServerContext.JSON.createObjectNode().put("output", t.result().text()).put("partial", false);
        }
    }

    /** fal's multilingual endpoint takes a locale or "auto"; absent means detect. */
    private static String language(Input input) {
        return input.language() == null || input.language().isBlank() ? null : input.language();
    }

    private void submit(Context ctx, String endpoint) {
        ObjectNode body = Requests.jsonBody(ctx);
        Input.of(body);                              // 422 now for a bad request, not later
        model(endpoint);                             // and 404 for an endpoint no model serves
        Job job = server.submit(JOB_KIND, endpoint, body.toString(), null);
        queue.submitted(ctx, job);
    }

    private Outcome runJob(Job job, JobContext log) throws IOException {
        Input input = Input.of(ServerContext.JSON.readTree(job.params()));
        log.info("transcribing " + input.audioUrl());
        try {
            ObjectNode out = transcribe(model(job.endpoint()), input);
            log.info("done");
            return Outcome.completed(out.toString());
        } catch (ServeException e) {
            log.log("ERROR", e.getMessage());
            return Outcome.failed(e.status(), errorBody(e).toString());
        }
    }

    private Job job(String id) {
        return queue.job(id);
    }

    private void status(Context ctx, String id) {
        queue.status(ctx, id);
    }

    private ObjectNode statusBody(Context ctx, Job job, boolean logs) {
        return queue.statusBody(ctx, job, logs);
    }

    private void statusStream(Context ctx, String id) throws IOException, InterruptedException {
        queue.statusStream(ctx, id);
    }

    private void result(Context ctx, String id) {
        queue.result(ctx, id);
    }

    private void cancel(Context ctx, String id) {
        queue.cancel(ctx, id);
    }

    /** fal's proxy convention: the original fal URL in {@code x-fal-target-url}, routed to the same handlers. */
    private void proxy(Context ctx) throws Exception {
        String target = ctx.header("x-fal-target-url");
        if (target == null || target.isBlank()) {
            throw ServeException.badRequest("x-fal-target-url", "The proxy needs the fal URL in the x-fal-target-url header");
        }
        URI uri;
        try {
            uri = URI.create(target.strip());
        } catch (IllegalArgumentException e) {
            throw ServeException.badRequest("x-fal-target-url", "x-fal-target-url is not a URL: " + target);
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (host.startsWith("queue.")) path = "/queue" + path;
        String method = ctx.method().name();
        for (String endpoint : ENDPOINTS) {
            if (path.equals("/" + endpoint) && method.equals("POST")) {
                sync(ctx, endpoint);
                return;
            }
            if (path.equals("/" + endpoint + "/stream") && method.equals("POST")) {
                stream(ctx, endpoint);
                return;
            }
            if (path.equals("/queue/" + endpoint) && method.equals("POST")) {
                submit(ctx, endpoint);
                return;
            }
        }
        Matcher m = REQUEST.matcher(path);
        if (m.matches() && ENDPOINTS.stream().anyMatch(e -> app(e).equals(m.group(1)))) {
            String id = m.group(2);
            String tail = m.group(3) == null ? "" : m.group(3);
            switch (method + " " + tail) {
                case "GET /status" -> ctx.contentType("application/json")
                        .result(statusBody(ctx, job(id), uri.getRawQuery() != null && uri.getRawQuery().contains("logs=1")).toString());
                case "GET /status/stream" -> statusStream(ctx, id);
                case "GET " -> result(ctx, id);
                case "PUT /cancel" -> cancel(ctx, id);
                default -> throw new ServeException(405, "method_not_allowed", null, method + " " + path + " is not supported");
            }
            return;
        }
        throw new ServeException(404, "not_found", null, "No fal endpoint here for " + method + " " + target
                + "; served: " + String.join(", ", ENDPOINTS));
    }

}
