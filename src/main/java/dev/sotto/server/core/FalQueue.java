package dev.sotto.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * fal's queue protocol over the server's {@link JobQueue}, shared by every API that speaks
 * fal: the submit answer, status (polled or as server-sent events), result and cancel, and
 * fal's error bodies. Status and result paths keep only owner/app of the endpoint
 * ({@code /queue/<owner>/<app>/requests/<id>}), as the official client calls them. A request
 * that failed still reports {@code COMPLETED} (the client polls until it sees that) and its
 * result answers with the error.
 */
public final class FalQueue {
    private final ServerContext server;

    public FalQueue(ServerContext server) {
        this.server = server;
    }

    /** fal's error bodies: FastAPI-style {@code detail} (a list with the field for 422s). */
    public static void error(Context ctx, ServeException e) {
        ctx.status(e.status()).contentType("application/json").result(errorBody(e).toString());
        if (e.status() == 429) ctx.header("Retry-After", "5");
    }

    public static ObjectNode errorBody(ServeException e) {
        ObjectNode body = ServerContext.JSON.createObjectNode();
        if (e.status() == 422 && e.param() != null) {
            ArrayNode detail = body.putArray("detail");
            ObjectNode d = detail.addObject();
            d.putArray("loc").add("body").add(e.param());
            d.put("msg", e.getMessage()).put("type", "value_error");
        } else {
            body.put("detail", e.getMessage());
        }
        return body;
    }

    /** The owner/app part of an endpoint, which status and result paths keep. */
    public static String app(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf('/'));
    }

    /** The scheme and host the client used, for the URLs in queue answers. */
    public static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    /** The answer to a submit: the request id, its URLs and place in the queue. */
    public void submitted(Context ctx, Job job) {
        String url = base(ctx) + "/queue/" + app(job.endpoint()) + "/requests/" + job.id();
        ObjectNode out = ServerContext.JSON.createObjectNode();
        out.put("request_id", job.id()).put("response_url", url).put("status_url", url + "/status")
                .put("cancel_url", url + "/cancel").put("queue_position", Math.max(0, server.store().position(job.id())));
        ctx.status(200).contentType("application/json").result(out.toString());
    }

    public Job job(String id) {
        return server.store().find(id).orElseThrow(() -> new ServeException(404, "request_not_found", null,
                "Request " + id + " not found (unknown, or its result expired)"));
    }

    public void status(Context ctx, String id) {
        ctx.header("x-fal-request-id", id);
        boolean logs = "1".equals(ctx.queryParam("logs")) || "true".equals(ctx.queryParam("logs"));
        ctx.contentType("application/json").result(statusBody(ctx, job(id), logs).toString());
    }

    public ObjectNode statusBody(Context ctx, Job job, boolean logs) {
        ObjectNode out = ServerContext.JSON.createObjectNode();
        String url = base(ctx) + "/queue/" + app(job.endpoint()) + "/requests/" + job.id();
        switch (job.state()) {
            case QUEUED -> out.put("status", "IN_QUEUE").put("queue_position", server.store().position(job.id()));
            case RUNNING -> out.put("status", "IN_PROGRESS");
            default -> out.put("status", "COMPLETED");
        }
        out.put("request_id", job.id()).put("response_url", url).put("status_url", url + "/status")
                .put("cancel_url", url + "/cancel");
        if (logs) {
            ArrayNode lines = out.putArray("logs");
            for (Job.LogLine l : job.logs()) {
                lines.addObject().put("timestamp", l.timestamp()).put("level", l.level()).put("source", "sotto")
                        .put("message", l.message());
            }
        } else if (job.state() != Job.State.QUEUED) {
            out.putArray("logs");
        }
        if (job.state().finished() && job.startedAt() != null && job.finishedAt() != null) {
            out.putObject("metrics").put("inference_time", (job.finishedAt() - job.startedAt()) / 1000.0);
        }
        if (job.state() == Job.State.FAILED || job.state() == Job.State.CANCELLED) out.put("error", errorText(job));
        return out;
    }

    private static String errorText(Job job) {
        if (job.state() == Job.State.CANCELLED) return "the request was cancelled";
        try {
            JsonNode d = ServerContext.JSON.readTree(job.error()).path("detail");
            return d.isTextual() ? d.asText() : d.toString();
        } catch (IOException e) {
            return job.error();
        }
    }

    /** Server-sent status events, one per change, until the request is COMPLETED. */
    public void statusStream(Context ctx, String id, boolean logs) throws IOException, InterruptedException {
        job(id);
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        String last = null;
        while (true) {
            Job job = job(id);
            ObjectNode status = statusBody(ctx, job, logs);
            if (!status.toString().equals(last)) {
                event(out, status);
                last = status.toString();
            }
            if (job.state().finished()) return;
            Thread.sleep(200);
        }
    }

    public void statusStream(Context ctx, String id) throws IOException, InterruptedException {
        statusStream(ctx, id, "1".equals(ctx.queryParam("logs")) || "true".equals(ctx.queryParam("logs")));
    }

    /** One server-sent event whose data is {@code data}. */
    public static void event(OutputStream out, ObjectNode data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void result(Context ctx, String id) {
        Job job = job(id);
        ctx.header("x-fal-request-id", id);
        switch (job.state()) {
            case COMPLETED -> ctx.contentType("application/json").result(job.result());
            case FAILED -> ctx.status(job.errorStatus()).contentType("application/json").result(job.error());
            case CANCELLED -> error(ctx, new ServeException(400, "cancelled", null, "the request was cancelled"));
            default -> error(ctx, new ServeException(400, "not_ready", null, "Request " + id + " is still "
                    + (job.state() == Job.State.QUEUED ? "in the queue" : "in progress") + ": poll its status until COMPLETED"));
        }
    }

    public void cancel(Context ctx, String id) {
        job(id);
        if (server.jobs().cancel(id)) {
            ctx.status(202).contentType("application/json").result("{\"status\":\"CANCELLATION_REQUESTED\"}");
        } else {
            ctx.status(400).contentType("application/json").result("{\"status\":\"ALREADY_COMPLETED\"}");
        }
    }
}
