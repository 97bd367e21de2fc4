package dev.sotto.server.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.StreamOptions;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.core.Upload;
import dev.sotto.transcribe.Formats;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code stream=true}: a {@code transcript.text.delta} event for each segment as the decoder
 * closes it (endpoints for streaming models, timestamp pairs for Whisper), then
 * {@code transcript.text.done} with the full text. Sotto's addition, with
 * {@code response_format=verbose_json} (which OpenAI does not stream): each delta also carries
 * its {@code segment} ({@code id, start, end, text}: the end says how far decoding got), and the
 * done event carries the whole {@code transcript}, the same verbose_json the request would get
 * without {@code stream}. Decoding runs on its own thread and hands deltas over a queue, so a slow client never holds up the shared decoding thread. A failure
 * before the first event is an ordinary JSON error; after it, an {@code error} event (and no
 * {@code [DONE]}).
 */
final class SseTranscription {
    private static final ObjectNode END = ServerContext.JSON.createObjectNode();

    private final ServerContext server;
    private final Context ctx;
    private final ServedModel model;
    private final Upload audio;
    private final StreamOptions options;
    private final int chunkMs;
    private final OpenAiApi.Verbose verbose;    // null: OpenAI's plain events
    private final BlockingQueue<ObjectNode> deltas = new LinkedBlockingQueue<>();
    private int segmentsSent;    // on the decoding thread only
    private boolean anySent;     // a delta was made (decoding thread, then the request thread after it ended)

    SseTranscription(ServerContext server, Context ctx, ServedModel model, Upload audio, StreamOptions options, int chunkMs,
                     OpenAiApi.Verbose verbose) {
        this.server = server;
        this.ctx = ctx;
        this.model = model;
        this.audio = audio;
        this.options = options;
        this.chunkMs = chunkMs;
        this.verbose = verbose;
    }

    void run() throws IOException, InterruptedException {
        CompletableFuture<ServedModel.Transcription> job = CompletableFuture.supplyAsync(() -> {
            try {
                return server.transcribe(model, audio, options, null, chunkMs, this::onStep);
            } finally {
                deltas.add(END);
            }
        });
        OutputStream out = null;
        for (ObjectNode d = deltas.take(); d != END; d = deltas.take()) {
            if (out == null) out = start();
            send(out, d);
        }
        ServedModel.Transcription t;
        try {
            t = job.join();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            ServeException failure = cause instanceof ServeException s ? s
                    : new ServeException(500, "server_error", null, "decoding failed: " + cause.getMessage());
            if (out == null) throw failure;
            ObjectNode err = ServerContext.JSON.createObjectNode();
            err.putObject("error").put("message", failure.getMessage()).put("type", "server_error")
                    .put("param", failure.param()).put("code", failure.code());
            send(out, err);
            return;
        }
        if (out == null) out = start();
        ctx.attribute("audio_seconds", t.audioSeconds());
        // Whatever the last step left unsent (a final segment without an endpoint after it).
        for (Segment s : t.result().segments().subList(Math.min(segmentsSent, t.result().segments().size()),
                t.result().segments().size())) {
            if (!s.text().isBlank()) send(out, delta(s));
        }
        ObjectNode done = ServerContext.JSON.createObjectNode().put("type", "transcript.text.done")
                .put("text", t.result().text());
        OpenAiApi.usage(done, t.audioSeconds());
        if (verbose != null) {
            done.set("transcript", verbose.body(new Formats.Transcript(audio.fileName(), t.result(), t.audioSeconds(),
                    t.model(), t.device(), verbose.translate() ? "translate" : "transcribe")));
        }
        send(out, done);
    }

    /** On the decoding thread: queue the text of every segment that became final. */
    private void onStep(Result r) {
        var segments = r.segments();
        while (segmentsSent < segments.size() && segments.get(segmentsSent).isFinal()) {
            Segment s = segments.get(segmentsSent);
            if (!s.text().isBlank()) deltas.add(delta(s));
            segmentsSent++;
        }
    }

    /** Deltas join up to the full text: every one after the first starts with the space between segments. */
    private ObjectNode delta(Segment segment) {
        String text = segment.text().strip();
        String d = anySent ? " " + text : text;
        anySent = true;
        ObjectNode event = ServerContext.JSON.createObjectNode().put("type", "transcript.text.delta").put("delta", d);
        if (verbose != null) {
            event.putObject("segment").put("id", segment.id()).put("start", Formats.round(segment.start()))
                    .put("end", Formats.round(segment.end())).put("text", segment.text());
        }
        return event;
    }

    private OutputStream start() throws IOException {
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
        return ctx.res().getOutputStream();
    }

    private static void send(OutputStream out, ObjectNode event) throws IOException {
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
