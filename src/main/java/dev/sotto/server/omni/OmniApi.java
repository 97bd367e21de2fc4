package dev.sotto.server.omni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.StreamOptions;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.FalQueue;
import dev.sotto.server.core.Job;
import dev.sotto.server.core.JobContext;
import dev.sotto.server.core.Outcome;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.core.Upload;
import dev.sotto.video.Answer;
import dev.sotto.video.BackendException;
import dev.sotto.video.ChatBackend;
import dev.sotto.video.DescribeRequest;
import dev.sotto.video.SamplingConfig;
import dev.sotto.video.TimedTranscript;
import dev.sotto.video.VideoDescriber;
import dev.sotto.video.VideoLimits;
import dev.sotto.video.VideoProblem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * fal's {@code nvidia/nemotron-3-nano-omni/video}: a video and a prompt in, the model's text out
 * ({@code {output, finish_reason, usage: {input_tokens, output_tokens}}}), synchronous
 * ({@code POST /nvidia/nemotron-3-nano-omni/video}) and through fal's queue
 * ({@code /queue/...}). Sotto does the media work (fetch under the URL policy, probe and
 * limits, frames, transcript with the first loaded ASR model) and asks the vision-language
 * model server given with {@code sotto serve --vlm-url/--vlm-model}; without one the endpoint
 * answers 503 saying so.
 */
public final class OmniApi implements Api {
    static final String ENDPOINT = "nvidia/nemotron-3-nano-omni/video";
    static final String JOB_KIND = "fal-omni";
    /** Where a job keeps a video that came as a data URL: in the job's file, not in its parameters. */
    private static final String STORED = "stored-with-the-job";
    private static final long HEALTH_CACHE_NANOS = 5_000_000_000L;

    private final ServerContext server;
    private final FalQueue queue;
    private final ChatBackend backend;          // null: no --vlm-url
    private final VideoDescriber describer;
    private volatile ChatBackend.Health health;
    private volatile long healthAt;

    public OmniApi(ServerContext server) {
        this.server = server;
        this.queue = new FalQueue(server);
        this.backend = server.config().vlm() == null ? null : new ChatBackend(server.config().vlm());
        this.describer = backend == null ? null : new VideoDescriber(backend, SamplingConfig.DEFAULT, VideoLimits.FAL);
        server.runJobs(JOB_KIND, this::runJob);
    }

    @Override
    public void register(RoutesConfig routes) {
        String app = FalQueue.app(ENDPOINT);
        routes.post("/" + ENDPOINT, guarded(this::sync));
        routes.post("/queue/" + ENDPOINT, guarded(this::submit));
        routes.get("/queue/" + app + "/requests/{id}/status", guarded(ctx -> queue.status(ctx, ctx.pathParam("id"))));
        routes.get("/queue/" + app + "/requests/{id}/status/stream", guarded(ctx -> queue.statusStream(ctx, ctx.pathParam("id"))));
        routes.get("/queue/" + app + "/requests/{id}", guarded(ctx -> queue.result(ctx, ctx.pathParam("id"))));
        routes.put("/queue/" + app + "/requests/{id}/cancel", guarded(ctx -> queue.cancel(ctx, ctx.pathParam("id"))));
    }

    private Handler guarded(Handler h) {
        return Requests.guarded(server, FalQueue::error, ctx -> {
            try {
                h.handle(ctx);
            } catch (Invalid e) {
                ctx.status(422).contentType("application/json").result(e.body.toString());
            }
        });
    }

    /** A request whose fields fail validation, with fal's (pydantic's) 422 body. */
    private static final class Invalid extends RuntimeException {
        final ObjectNode body;

        Invalid(ObjectNode body) {
            super(body.toString(), null, false, false);
            this.body = body;
        }
    }

    /** The validated input. */
    private record Input(String videoUrl, DescribeRequest ask) {
        static Input of(JsonNode body) {
            List<DescribeRequest.FieldError> errors = new ArrayList<>();
            String url = string(body, "video_url", errors);
            if (url == null && errors.stream().noneMatch(e -> e.field().equals("video_url"))) {
                errors.add(new DescribeRequest.FieldError("video_url", "Field required", "missing", Map.of()));
            }
            String prompt = string(body, "prompt", errors);
            String system = string(body, "system_prompt", errors);
            String reasoning = string(body, "reasoning_mode", errors);
            Number maxTokens = number(body, "max_tokens", "int_type", "a valid integer", errors);
            Number temperature = number(body, "temperature", "float_type", "a valid number", errors);
            Number topP = number(body, "top_p", "float_type", "a valid number", errors);
            DescribeRequest ask = null;
            try {
                ask = DescribeRequest.of(prompt, system, reasoning, maxTokens, temperature, topP);
            } catch (DescribeRequest.Invalid e) {
                for (DescribeRequest.FieldError f : e.errors()) {
                    if (errors.stream().noneMatch(x -> x.field().equals(f.field()))) errors.add(f);
                }
            }
            if (!errors.isEmpty()) throw new Invalid(validationBody(errors));
            return new Input(url, ask);
        }

        private static String string(JsonNode body, String field, List<DescribeRequest.FieldError> errors) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isTextual()) {
                errors.add(new DescribeRequest.FieldError(field, "Input should be a valid string (got " + v + ")", "string_type", Map.of()));
                return null;
            }
            return v.asText();
        }

        private static Number number(JsonNode body, String field, String type, String what, List<DescribeRequest.FieldError> errors) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isNumber()) {
                errors.add(new DescribeRequest.FieldError(field, "Input should be " + what + " (got " + v + ")", type, Map.of()));
                return null;
            }
            return v.numberValue();
        }
    }

    /** pydantic's list: {@code {"detail": [{"loc": ["body", field], "msg", "type", "ctx"?}]}}. */
    static ObjectNode validationBody(List<DescribeRequest.FieldError> errors) {
        ObjectNode body = ServerContext.JSON.createObjectNode();
        ArrayNode detail = body.putArray("detail");
        for (DescribeRequest.FieldError e : errors) {
            ObjectNode d = detail.addObject();
            d.putArray("loc").add("body").add(e.field());
            d.put("msg", e.message()).put("type", e.type());
            if (!e.context().isEmpty()) d.set("ctx", ServerContext.JSON.valueToTree(e.context()));
        }
        return body;
    }

    private static Invalid invalidVideo(VideoProblem p) {
        return new Invalid(validationBody(List.of(new DescribeRequest.FieldError("video_url", p.getMessage(), p.kind().type(), Map.of()))));
    }

    private VideoDescriber describer() {
        if (describer == null) {
            throw new ServeException(503, "not_configured", null, "This server has no vision-language model server for "
                    + ENDPOINT + ": start it with sotto serve --vlm-url URL --vlm-model NAME [--vlm-api-key KEY], URL being an "
                    + "OpenAI-compatible server that runs the model (vLLM, NVIDIA NIM or llama-server, e.g. http://127.0.0.1:8000/v1)");
        }
        return describer;
    }

    /** The JSON body; a data URL video may make it larger than other APIs' bodies, up to the upload limit. */
    private ObjectNode body(Context ctx) throws IOException {
        long max = server.config().maxUploadBytes() / 3 * 4 + (1 << 20);
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (bytes.length > max) throw Upload.tooLarge(server.config().maxUploadBytes());
        return Requests.jsonObject(bytes);
    }

    private void sync(Context ctx) throws IOException {
        Input input = Input.of(body(ctx));
        VideoDescriber d = describer();
        try (Upload video = video(input.videoUrl())) {
            ObjectNode out = describe(d, video, input, input.videoUrl(), m -> { });
            ctx.header("x-fal-request-id", UUID.randomUUID().toString());
            ctx.contentType("application/json").result(out.toString());
        }
    }

    private void submit(Context ctx) throws IOException {
        ObjectNode body = body(ctx);
        Input input = Input.of(body);                  // 422 now for a bad request, not later
        describer();                                   // and 503 when nothing could answer it
        Upload video = null;
        if (isDataUrl(input.videoUrl())) {             // kept as the job's file, not in its parameters
            video = dataUrl(input.videoUrl());
            body.put("video_url", STORED);
        }
        try {
            Job job = server.submit(JOB_KIND, ENDPOINT, body.toString(), video);
            queue.submitted(ctx, job);
        } finally {
            if (video != null) video.close();
        }
    }

    private Outcome runJob(Job job, JobContext log) throws IOException {
        try {
            Input input = Input.of(ServerContext.JSON.readTree(job.params()));
            VideoDescriber d = describer();
            boolean stored = STORED.equals(input.videoUrl()) && job.audio() != null;
            log.info(stored ? "video sent with the request (" + job.fileSize() + " bytes)" : "fetching " + input.videoUrl());
            Upload video = stored ? new Upload(job.audio(), job.fileName(), job.fileSize()) : video(input.videoUrl());
            try {
                ObjectNode out = describe(d, video, input, input.videoUrl(), log::info);
                log.info("done");
                return Outcome.completed(out.toString());
            } finally {
                if (!stored) video.close();
            }
        } catch (Invalid e) {
            log.log("ERROR", e.body.toString());
            return Outcome.failed(422, e.body.toString());
        } catch (ServeException e) {
            log.log("ERROR", e.getMessage());
            return Outcome.failed(e.status(), FalQueue.errorBody(e).toString());
        }
    }

    /** The video: fetched under the server's URL policy, or decoded from a data URL. */
    private Upload video(String url) {
        return isDataUrl(url) ? dataUrl(url) : Requests.fetch(server, url, "video_url");
    }

    private ObjectNode describe(VideoDescriber d, Upload video, Input input, String name, Consumer<String> progress) {
        String shown = isDataUrl(name) ? "the video_url data URL" : name;
        VideoDescriber.Description description;
        try {
            description = d.describe(video.file(), shown, input.ask(), (file, n) -> transcribe(video), progress);
        } catch (VideoProblem p) {
            throw invalidVideo(p);
        } catch (BackendException e) {
            throw new ServeException(e.timedOut() ? 504 : 502, e.timedOut() ? "backend_timeout" : "backend_error", null, e.getMessage());
        }
        Answer a = description.answer();
        ObjectNode out = ServerContext.JSON.createObjectNode();
        out.put("output", a.output());
        out.put("finish_reason", a.finishReason());
        ObjectNode usage = out.putObject("usage");
        usage.put("input_tokens", a.inputTokens());
        usage.put("output_tokens", a.outputTokens());
        return out;
    }

    /** The sound track through the first loaded ASR model (the same decoding as every other endpoint). */
    private TimedTranscript transcribe(Upload video) {
        ServedModel model = server.models().resolve(null);
        ServedModel.Transcription t = server.transcribe(model, video, StreamOptions.DEFAULT, null, r -> { });
        return TimedTranscript.of(t.result(), t.audioSeconds());
    }

    private static boolean isDataUrl(String url) {
        return url != null && url.regionMatches(true, 0, "data:", 0, 5);
    }

    /** {@code data:[type][;base64],payload}, decoded into the spool (base64 only: a video is binary). */
    private Upload dataUrl(String url) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (comma < 0 || !meta.endsWith(";base64")) {
            throw invalidVideo(new VideoProblem(VideoProblem.Kind.NOT_A_VIDEO, "video_url is a data URL without base64 data: "
                    + "send data:video/mp4;base64,<the file in base64>"));
        }
        String type = meta.substring(0, meta.length() - ";base64".length());
        String ext = switch (type) {
            case "video/webm" -> "webm";
            case "video/quicktime" -> "mov";
            case "video/x-matroska" -> "mkv";
            default -> "mp4";
        };
        InputStream payload = new ByteArrayInputStream(url.substring(comma + 1).getBytes(StandardCharsets.US_ASCII));
        try {
            return Upload.spool(Base64.getMimeDecoder().wrap(payload), "video." + ext, server.config().spoolDir(),
                    server.config().maxUploadBytes());
        } catch (IllegalArgumentException e) {
            throw invalidVideo(new VideoProblem(VideoProblem.Kind.NOT_A_VIDEO, "video_url's data URL is not valid base64: " + e.getMessage()));
        }
    }

    @Override
    public void health(ObjectNode o) {
        ObjectNode video = o.putObject("video");
        video.put("endpoint", ENDPOINT);
        if (backend == null) {
            video.put("backend", "not configured (sotto serve --vlm-url URL --vlm-model NAME)");
            return;
        }
        ChatBackend.Health h = health;
        if (h == null || System.nanoTime() - healthAt > HEALTH_CACHE_NANOS) {
            h = backend.check();
            health = h;
            healthAt = System.nanoTime();
        }
        video.put("backend", backend.config().baseUrl().toString()).put("model", backend.config().model())
                .put("backend_ok", h.ok()).put("backend_detail", h.detail());
    }
}
