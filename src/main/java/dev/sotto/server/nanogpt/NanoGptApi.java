package dev.sotto.server.nanogpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.diarize.AudioEvent;
import dev.sotto.diarize.Diarization;
import dev.sotto.engine.Segment;
import dev.sotto.engine.StreamOptions;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.Job;
import dev.sotto.server.core.JobContext;
import dev.sotto.server.core.Outcome;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.core.Upload;
import dev.sotto.transcribe.Formats;
import dev.sotto.transcribe.Speakers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/**
 * NanoGPT's {@code POST /api/transcribe} (multipart {@code audio} or JSON {@code audioUrl})
 * and its asynchronous path ({@code Elevenlabs-STT}): 202 with a {@code runId}, polled with
 * {@code POST /api/transcribe/status}. {@code diarize=true} (with an optional
 * {@code num_speakers}) adds {@code diarization.segments} and the words' {@code speaker_id};
 * {@code tagAudioEvents=true} adds {@code (silence)} {@code audio_event} words (2 s or more
 * without speech) and, when the server has a {@code --tagging-model}, its events ({@code (music)}...).
 */
public final class NanoGptApi implements Api {
    static final String JOB_KIND = "nanogpt";
    static final String ASYNC_MODEL = "Elevenlabs-STT";

    private final ServerContext server;

    public NanoGptApi(ServerContext server) {
        this.server = server;
        server.runJobs(JOB_KIND, this::runJob);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/transcribe", Requests.guarded(server, NanoGptApi::error, this::transcribe));
        routes.post("/api/transcribe/status", Requests.guarded(server, NanoGptApi::error, this::status));
    }

    static void error(Context ctx, ServeException e) {
        ObjectNode body = ServerContext.JSON.createObjectNode().put("error", e.getMessage()).put("status", e.status());
        if (e.param() != null) body.put("field", e.param());
        if (e.status() == 429) ctx.header("Retry-After", "5");
        ctx.status(e.status()).contentType("application/json").result(body.toString());
    }

    /** A request's fields, from a multipart form or a JSON body alike; numSpeakers 0 estimates the count. */
    private record Params(String model, String language, String audioUrl, boolean diarize, int numSpeakers, boolean events) {
        ObjectNode json() {
            return ServerContext.JSON.createObjectNode().put("model", model).put("language", language).put("audioUrl", audioUrl)
                    .put("diarize", diarize).put("numSpeakers", numSpeakers).put("tagAudioEvents", events);
        }

        static Params of(JsonNode n) {
            return new Params(n.path("model").asText(null), n.path("language").asText(null), n.path("audioUrl").asText(null),
                    n.path("diarize").asBoolean(false), n.path("numSpeakers").asInt(0), n.path("tagAudioEvents").asBoolean(false));
        }
    }

    private static int numSpeakers(String value) {
        Double v = Requests.parseNumber("num_speakers", value);
        if (v == null) return 0;
        if (v != Math.rint(v) || v < 0 || v > 32) {
            throw ServeException.badRequest("num_speakers", "num_speakers must be a whole number from 0 (estimate) to 32");
        }
        return v.intValue();
    }

    private void transcribe(Context ctx) {
        Params params;
        Upload audio = null;
        try {
            boolean diarize;
            boolean events;
            if (Requests.isMultipart(ctx)) {
                diarize = Boolean.TRUE.equals(Requests.parseBool("diarize", Requests.form(ctx, "diarize")));
                events = Boolean.TRUE.equals(Requests.parseBool("tagAudioEvents", Requests.form(ctx, "tagAudioEvents")));
                params = new Params(Requests.form(ctx, "model"), Requests.form(ctx, "language"), null, diarize,
                        numSpeakers(Requests.form(ctx, "num_speakers")), events);
                server.models().resolve(params.model());
                if (diarize) server.requireDiarization();
                if (events) server.requireAudioEvents();
                audio = Requests.file(server, ctx, "audio");
            } else {
                ObjectNode body = Requests.jsonBody(ctx);
                diarize = Boolean.TRUE.equals(Requests.bool(body, "diarize"));
                events = Boolean.TRUE.equals(Requests.bool(body, "tagAudioEvents"));
                params = new Params(Requests.text(body, "model"), Requests.text(body, "language"),
                        Requests.requiredText(body, "audioUrl"), diarize,
                        numSpeakers(body.hasNonNull("num_speakers") ? body.get("num_speakers").asText() : null), events);
                server.models().resolve(params.model());
                if (diarize) server.requireDiarization();
                if (events) server.requireAudioEvents();
            }
            if (ASYNC_MODEL.equalsIgnoreCase(params.model())) {
                Job job = server.submit(JOB_KIND, "api/transcribe", params.json().toString(), audio);
                ObjectNode out = ServerContext.JSON.createObjectNode().put("runId", job.id()).put("status", "pending")
                        .put("model", params.model());
                if (audio != null) out.put("fileName", audio.fileName()).put("fileSize", audio.size());
                ctx.status(202).contentType("application/json").result(out.toString());
                return;
            }
            if (audio == null) audio = Requests.fetch(server, params.audioUrl(), "audioUrl");
            ObjectNode out = run(params, audio, params.events());
            ctx.contentType("application/json").result(out.toString());
        } finally {
            if (audio != null) audio.close();
        }
    }

    /** Transcribes and answers in NanoGPT's shape; {@code words} for the asynchronous (ElevenLabs) answers. */
    private ObjectNode run(Params params, Upload audio, boolean words) {
        ServedModel model = server.models().resolve(params.model());
        String language = params.language() == null || params.language().equalsIgnoreCase("auto") ? null : params.language();
        ServedModel.Transcription t = server.transcribe(model, audio, StreamOptions.language(language), null, r -> { });
        ObjectNode out = ServerContext.JSON.createObjectNode().put("transcription", t.result().text());
        ObjectNode meta = out.putObject("metadata");
        meta.put("fileName", audio.fileName()).put("fileSize", audio.size())
                .put("chargedDuration", Formats.round(t.audioSeconds())).put("actualDuration", Formats.round(t.audioSeconds()))
                .put("language", t.result().language() != null ? t.result().language() : language != null ? language : "en")
                .put("cost", 0).put("currency", "USD").put("model", params.model() == null ? model.name() : params.model());
        Diarization speakers = params.diarize() ? server.diarize(audio, params.numSpeakers(), 1, 0) : null;
        if (speakers != null) {
            ArrayNode segments = out.putObject("diarization").putArray("segments");
            for (Speakers.SpeakerSegment s : Speakers.segments(t.result(), t.audioSeconds(), speakers)) {
                segments.addObject().put("speaker", s.label()).put("text", s.text()).put("start", Formats.round(s.start()))
                        .put("end", Formats.round(s.end()));
            }
        }
        if (words) {
            ArrayNode list = out.putArray("words");
            Speakers.SpeakerWord previous = null;
            java.util.Iterator<AudioEvent> events = params.events() ? server.audioEvents(audio).iterator()
                    : java.util.Collections.emptyIterator();
            AudioEvent event = events.hasNext() ? events.next() : null;
            for (Speakers.SpeakerWord w : wordsOf(t, speakers)) {
                for (; event != null && event.start() <= w.start(); event = events.hasNext() ? events.next() : null) {
                    addEvent(list, event);
                }
                if (previous != null) {
                    ObjectNode space = list.addObject().put("text", " ").put("start", Formats.round(w.start()))
                            .put("end", Formats.round(w.start())).put("type", "spacing");
                    speakerId(space, speakers == null ? null : previous.label());
                }
                ObjectNode word = list.addObject().put("text", w.text()).put("start", Formats.round(w.start()))
                        .put("end", Formats.round(w.end())).put("type", "word");
                speakerId(word, speakers == null ? null : w.label());
                previous = w;
            }
            for (; event != null; event = events.hasNext() ? events.next() : null) addEvent(list, event);
        }
        return out;
    }

    /** The words with their speakers, or with speaker 0 as a placeholder (not shown) when not diarized. */
    private static java.util.List<Speakers.SpeakerWord> wordsOf(ServedModel.Transcription t, Diarization speakers) {
        if (speakers != null) return Speakers.words(t.result(), t.audioSeconds(), speakers);
        java.util.List<Speakers.SpeakerWord> out = new java.util.ArrayList<>();
        for (Word w : Words.all(t.result(), t.audioSeconds())) out.add(new Speakers.SpeakerWord(w.text(), w.start(), w.end(), 0));
        return out;
    }

    /** An ElevenLabs {@code audio_event} word; a silence belongs to no speaker. */
    private static void addEvent(ArrayNode list, AudioEvent e) {
        list.addObject().put("text", e.text()).put("start", Formats.round(e.start())).put("end", Formats.round(e.end()))
                .put("type", "audio_event").putNull("speaker_id");
    }

    private static void speakerId(ObjectNode o, String label) {
        if (label == null) o.putNull("speaker_id");
        else o.put("speaker_id", label);
    }

    private Outcome runJob(Job job, JobContext log) throws IOException {
        Params params = Params.of(ServerContext.JSON.readTree(job.params()));
        try (Upload audio = job.audio() != null ? new Upload(job.audio(), job.fileName(), job.fileSize())
                : Requests.fetch(server, params.audioUrl(), "audioUrl")) {
            if (job.audio() != null) audio.release();   // the job store owns and deletes it
            return Outcome.completed(run(params, audio, true).toString());
        } catch (ServeException e) {
            log.log("ERROR", e.getMessage());
            ObjectNode body = ServerContext.JSON.createObjectNode().put("error", e.getMessage()).put("status", e.status());
            return Outcome.failed(e.status(), body.toString());
        }
    }

    private void status(Context ctx) throws IOException {
        String runId = Requests.requiredText(Requests.jsonBody(ctx), "runId");
        Job job = server.store().find(runId).orElseThrow(() -> new ServeException(404, "run_not_found", "runId",
                "No transcription job " + runId + " (unknown, or its result expired)"));
        ObjectNode out = ServerContext.JSON.createObjectNode().put("runId", job.id());
        Params params = Params.of(ServerContext.JSON.readTree(job.params()));
        out.put("model", params.model());
        switch (job.state()) {
            case QUEUED -> out.put("status", "pending");
            case RUNNING -> out.put("status", "processing");
            case COMPLETED -> {
                out.put("status", "completed");
                out.setAll((ObjectNode) ServerContext.JSON.readTree(job.result()));
            }
            default -> {
                out.put("status", "failed");
                String message = job.state() == Job.State.CANCELLED ? "the job was cancelled"
                        : ServerContext.JSON.readTree(job.error()).path("error").asText(job.error());
                out.put("error", message);
            }
        }
        ctx.contentType("application/json").result(out.toString());
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
