package dev.sotto.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.StreamOptions;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.LiveEndpoint;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.core.Upload;
import dev.sotto.transcribe.Formats;
import dev.sotto.transcribe.Formats.Transcript;
import dev.sotto.transcribe.LanguageNames;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenAI's audio API: {@code POST /v1/audio/transcriptions} and {@code /translations}
 * (multipart; json, text, srt, vtt, verbose_json; server-sent events with {@code stream=true})
 * and {@code GET /v1/models}, and realtime transcription over a WebSocket at {@code /v1/realtime}
 * ({@link RealtimeSession}). Errors are {@code {"error":{"message","type","param","code"}}}.
 */
public final class OpenAiApi implements Api {
    private static final Set<String> FORMATS = Set.of("json", "text", "srt", "vtt", "verbose_json", "diarized_json");

    private final ServerContext server;

    public OpenAiApi(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/audio/transcriptions", Requests.guarded(server, OpenAiApi::error, ctx -> transcribe(ctx, false)));
        routes.post("/v1/audio/translations", Requests.guarded(server, OpenAiApi::error, ctx -> transcribe(ctx, true)));
        routes.get("/v1/models", Requests.guarded(server, OpenAiApi::error, this::listModels));
        routes.get("/v1/models/{id}", Requests.guarded(server, OpenAiApi::error, this::getModel));
        routes.wsBeforeUpgrade("/v1/realtime", ctx -> {
            LiveEndpoint.checkKey(server, ctx, "api_key");
            // Browser clients offer "realtime" (with the key as another subprotocol): select it.
            String offered = ctx.header("Sec-WebSocket-Protocol");
            if (offered != null && java.util.Arrays.stream(offered.split(",")).map(String::strip).anyMatch("realtime"::equals)) {
                ctx.header("Sec-WebSocket-Protocol", "realtime");
            }
        });
        routes.ws("/v1/realtime", ws -> {
            ws.onConnect(ctx -> RealtimeSession.open(server, ctx));
            ws.onMessage(ctx -> RealtimeSession.of(ctx).text(ctx.message()));
            ws.onBinaryMessage(ctx -> RealtimeSession.of(ctx).binary(ctx.data()));
            ws.onClose(RealtimeSession::closed);
            ws.onError(RealtimeSession::closed);
        });
    }

    /** OpenAI's error shape; {@code type} as OpenAI names the class of error. */
    public static void error(Context ctx, ServeException e) {
        String type = switch (e.status()) {
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> e.status() >= 500 ? "server_error" : "invalid_request_error";
        };
        if (e.status() == 429) ctx.header("Retry-After", "5");
        ObjectNode body = ServerContext.JSON.createObjectNode();
        ObjectNode err = body.putObject("error");
        err.put("message", e.getMessage()).put("type", type).put("param", e.param()).put("code", e.code());
        ctx.status(e.status()).contentType("application/json").result(body.toString());
    }

    private void transcribe(Context ctx, boolean translate) throws Exception {
        if (!Requests.isMultipart(ctx)) {
            throw ServeException.badRequest("file", "Send a multipart/form-data request with the audio in the 'file' field");
        }
        String format = orDefault(Requests.form(ctx, "response_format"), "json").toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw ServeException.badRequest("response_format", "'" + format + "' is not a response_format: use one of "
                    + "json, text, srt, vtt, verbose_json, diarized_json");
        }
        // diarized_json always labels speakers; diarize=true (Fireworks' field) adds them to the other formats.
        boolean diarize = format.equals("diarized_json")
                || Boolean.TRUE.equals(Requests.parseBool("diarize", Requests.form(ctx, "diarize")));
        int[] speakers = speakerCounts(ctx);
        if (diarize) server.requireDiarization();
        Requests.parseNumber("temperature", Requests.form(ctx, "temperature"));
        List<String> granularities = Requests.formList(ctx, "timestamp_granularities");
        for (String g : granularities) {
            if (!g.equals("word") && !g.equals("segment")) {
                throw ServeException.badRequest("timestamp_granularities", "'" + g + "' is not a timestamp granularity: "
                        + "use word or segment");
            }
        }
        boolean stream = Boolean.TRUE.equals(Requests.parseBool("stream", Requests.form(ctx, "stream")));
        if (stream && diarize) {
            throw ServeException.badRequest("stream", "Speaker labels come once the whole file is heard: send stream=false "
                    + "with diarized_json or diarize=true");
        }
        String modelName = Requests.form(ctx, "model");
        if (modelName == null) throw ServeException.badRequest("model", "'model' is required (e.g. whisper-1; GET /v1/models lists them)");
        ServedModel model = server.models().resolve(modelName);
        if (translate && !model.translates()) {
            List<String> can = server.models().all().stream().filter(ServedModel::translates).map(ServedModel::name).toList();
            throw ServeException.badRequest("model", "The model '" + modelName + "' (" + model.name() + ") cannot translate. "
                    + (can.isEmpty() ? "None of the loaded models can (translation needs a multilingual Whisper model)."
                    : "Loaded models that can: " + String.join(", ", can)));
        }
        int chunkMs = Requests.chunkMs("chunk_ms", Requests.form(ctx, "chunk_ms"));
        String language = translate ? null : Requests.form(ctx, "language");
        StreamOptions options = new StreamOptions(language, translate ? "translate" : "transcribe", Requests.form(ctx, "prompt"));
        try (Upload audio = Requests.file(server, ctx, "file")) {
            if (stream) {
                Verbose verbose = format.equals("verbose_json") ? new Verbose(granularities, translate, language) : null;
                new SseTranscription(server, ctx, model, audio, options, chunkMs, verbose).run();
                return;
            }
            ServedModel.Transcription t = server.transcribe(model, audio, options, null, chunkMs, r -> { });
            ctx.attribute("audio_seconds", t.audioSeconds());
            Transcript transcript = new Transcript(audio.fileName(), t.result(), t.audioSeconds(), t.model(), t.device(),
                    translate ? "translate" : "transcribe",
                    diarize ? server.diarize(audio, speakers[0], speakers[1], speakers[2]) : null);
            respond(ctx, format, transcript, granularities, translate, language);
        }
    }

    private static void respond(Context ctx, String format, Transcript t, List<String> granularities, boolean translate,
                                String requested) {
        switch (format) {
            case "text" -> ctx.contentType("text/plain; charset=utf-8").result(Formats.render(Formats.Format.TEXT, t));
            case "srt" -> ctx.contentType("text/plain; charset=utf-8").result(Formats.render(Formats.Format.SRT, t));
            case "vtt" -> ctx.contentType("text/vtt; charset=utf-8").result(Formats.render(Formats.Format.VTT, t));
            case "diarized_json" -> {
                ObjectNode o = Formats.diarizedJson(t);
                usage(o, t.duration());
                ctx.contentType("application/json").result(o.toString());
            }
            case "verbose_json" -> ctx.contentType("application/json")
                    .result(new Verbose(granularities, translate, requested).body(t).toString());
            default -> {
                ObjectNode o = ServerContext.JSON.createObjectNode().put("text", t.result().text());
                usage(o, t.duration());
                ctx.contentType("application/json").result(o.toString());
            }
        }
    }

    /** How a verbose_json answer is shaped: which granularities, and the language to name. */
    record Verbose(List<String> granularities, boolean translate, String requested) {
        ObjectNode body(Transcript t) {
            ObjectNode o = Formats.verboseJson(t);
            if (translate) o.put("language", "english");
            // OpenAI requires a language; monolingual transducer exports do not name theirs.
            if (o.path("language").isNull()) {
                o.put("language", requested == null ? "unknown" : LanguageNames.english(requested));
            }
            completeSegments(o);
            if (!granularities.contains("word")) o.remove(List.of("words", "word_timing"));
            if (!granularities.isEmpty() && !granularities.contains("segment")) o.remove("segments");
            usage(o, t.duration());
            return o;
        }
    }

    /**
     * OpenAI's segments carry Whisper's decoding statistics. Transducer segments have no such
     * numbers: {@code seek} is the segment's start in 10 ms frames, {@code temperature} 0
     * (greedy or beam search, no sampling), {@code compression_ratio} computed from the text
     * as Whisper does (UTF-8 bytes over zlib-compressed bytes), and the two scores a
     * transducer does not produce ({@code avg_logprob}, {@code no_speech_prob}) are null
     * rather than made up.
     */
    private static void completeSegments(ObjectNode o) {
        for (var node : o.withArray("segments")) {
            ObjectNode seg = (ObjectNode) node;
            if (seg.has("seek")) continue;
            seg.put("seek", Math.round(seg.path("start").asDouble() * 100));
            seg.put("temperature", 0.0);
            seg.putNull("avg_logprob");
            seg.put("compression_ratio", compressionRatio(seg.path("text").asText()));
            seg.putNull("no_speech_prob");
        }
    }

    static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0) return 0;
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(6);
        deflater.setInput(bytes);
        deflater.finish();
        byte[] out = new byte[bytes.length * 2 + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return (double) bytes.length / n;
    }

    /** OpenAI's duration usage: whole seconds, rounded up. */
    static void usage(ObjectNode o, double seconds) {
        o.putObject("usage").put("type", "duration").put("seconds", (long) Math.ceil(seconds));
    }

    private void listModels(Context ctx) {
        ObjectNode body = ServerContext.JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String name : server.models().orderedNames()) data.add(model(name));
        ctx.contentType("application/json").result(body.toString());
    }

    private void getModel(Context ctx) {
        String id = ctx.pathParam("id");
        server.models().resolve(id);   // 404 in OpenAI's shape when unknown
        String name = server.models().orderedNames().stream().filter(n -> n.equalsIgnoreCase(id)).findFirst().orElse(id);
        ctx.contentType("application/json").result(model(name).toString());
    }

    private ObjectNode model(String name) {
        ServedModel m = server.models().resolve(name);
        ObjectNode o = ServerContext.JSON.createObjectNode();
        o.put("id", name).put("object", "model").put("created", 0).put("owned_by", "sotto");
        o.put("root", m.name()).put("family", m.info().family()).put("provider", m.info().provider());
        o.put("translates", m.translates());
        // Sotto's additions, for clients that offer a chunk size (the web page): whether the model
        // streams, its default chunk, the sizes a request may choose (chunk_ms), its languages.
        o.put("streaming", m.info().chunkMs() > 0).put("chunk_ms", m.info().chunkMs());
        ArrayNode sizes = o.putArray("chunk_sizes");
        if (m.chunkSizes().isEmpty() && m.info().chunkMs() > 0) sizes.add(m.info().chunkMs());
        else m.chunkSizes().forEach(sizes::add);
        ArrayNode languages = o.putArray("languages");
        m.info().languages().forEach(languages::add);
        return o;
    }

    /** {num_speakers, min_speakers, max_speakers} from the form (0, 1, 0 when absent). */
    private static int[] speakerCounts(Context ctx) {
        int[] out = {0, 1, 0};
        String[] names = {"num_speakers", "min_speakers", "max_speakers"};
        for (int i = 0; i < 3; i++) {
            Double v = Requests.parseNumber(names[i], Requests.form(ctx, names[i]));
            if (v == null) continue;
            if (v != Math.rint(v) || v < (i == 1 ? 1 : 0) || v > 32) {
                throw ServeException.badRequest(names[i], names[i] + " must be a whole number from " + (i == 1 ? 1 : 0) + " to 32");
            }
            out[i] = v.intValue();
        }
        return out;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    /** Segments that are final in {@code r} (all of them once the input is decoded). */
    static List<Segment> finalSegments(Result r) {
        return r.segments().stream().filter(Segment::isFinal).toList();
    }
}
