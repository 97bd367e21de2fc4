package dev.sotto.server.fireworks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.StreamOptions;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import dev.sotto.server.core.ClientEvents;
import dev.sotto.server.core.LiveSessions;
import dev.sotto.server.core.LiveStream;
import dev.sotto.server.core.Pcm;
import dev.sotto.server.core.Requests;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import dev.sotto.transcribe.Formats;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Fireworks streaming connection. Audio frames feed a {@link LiveStream}; after each
 * decoding step the segments that changed are sent as {@code {"segments":[{"id","text","words"}]}}
 * with ids counting up from "0": a segment is revised while open and frozen once an endpoint
 * closes it (its words then carry {@code is_final: true}). The input ends with either form
 * Fireworks' samples send: {@code {"checkpoint_id":"final"}} (notebook, Node.js) or
 * {@code {"object":"stt.input.trace","trace_id":"final"}} (Python); the final segments are sent,
 * then the end is echoed. Any other {@code stt.input.trace} is echoed as {@code stt.output.trace}
 * once everything sent before it is decoded;
 * {@code stt.state.clear} starts a fresh decoding context (ids keep counting). What the client
 * sends after an end of stream waits until that end is decoded and goes to the next stream.
 */
final class FireworksSession implements LiveSessions.Session {
    private static final Map<String, FireworksSession> OPEN = new ConcurrentHashMap<>();

    private final ServerContext server;
    private final WsContext ctx;
    private final ServedModel model;
    private final StreamOptions options;
    private final int chunkMs;                                  // Sotto's chunk_ms query; 0: the model's default
    private LiveStream stream;                                  // guarded by this
    private int idOffset;                                       // ids used by earlier contexts, guarded by this
    private final Map<Integer, String> sent = new HashMap<>();  // id → last text+finality sent, guarded by this
    private boolean closed;                                     // the client is gone, guarded by this
    private final ClientEvents events = new ClientEvents();

    private FireworksSession(ServerContext server, WsContext ctx, ServedModel model, StreamOptions options, int chunkMs) {
        this.server = server;
        this.ctx = ctx;
        this.model = model;
        this.options = options;
        this.chunkMs = chunkMs;
    }

    static void open(ServerContext server, WsContext ctx) {
        ctx.session.setMaxBinaryMessageSize(1 << 20);
        ctx.session.setMaxTextMessageSize(1 << 16);
        ServedModel model;
        int chunkMs;
        try {
            model = server.models().resolve(ctx.queryParam("model"));
            chunkMs = Requests.chunkMs("chunk_ms", ctx.queryParam("chunk_ms"));
        } catch (ServeException e) {
            error(ctx, e.getMessage());
            ctx.closeSession(1008, e.param() != null && e.param().equals("chunk_ms") ? "bad chunk_ms" : "unknown model");
            return;
        }
        String language = ctx.queryParam("language");
        FireworksSession s = new FireworksSession(server, ctx, model,
                new StreamOptions(language == null || language.isBlank() ? null : language, null, ctx.queryParam("prompt")),
                chunkMs);
        String refused = server.live().admit(s);
        if (refused != null) {
            error(ctx, refused);
            ctx.closeSession(LiveSessions.TRY_AGAIN_LATER, "try again later");
            return;
        }
        try {
            synchronized (s) {
                s.stream = s.newStream();
            }
        } catch (ServeException e) {
            server.live().leave(s);
            error(ctx, e.getMessage());
            ctx.closeSession(1008, "bad request");
            return;
        }
        OPEN.put(ctx.sessionId(), s);
    }

    static FireworksSession of(WsContext ctx) {
        FireworksSession s = OPEN.get(ctx.sessionId());
        if (s == null) throw new IllegalStateException("no session " + ctx.sessionId());
        return s;
    }

    static void closed(WsContext ctx) {
        FireworksSession s = OPEN.remove(ctx.sessionId());
        if (s == null) return;
        s.server.live().leave(s);
        LiveStream last;
        synchronized (s) {
            s.closed = true;   // an end of stream still being decoded must not open a next stream
            last = s.stream;
        }
        if (last != null) last.close();
    }

    private LiveStream newStream() {
        return model.openLive(options, null, chunkMs, this::onStep);
    }

    void audio(ByteBuffer frame) {
        float[] samples;
        try {
            samples = Pcm.s16le(frame);
        } catch (ServeException e) {
            error(ctx, e.getMessage());
            return;
        }
        events.submit(() -> {
            synchronized (this) {
                stream.accept(samples, 16000);
            }
        });
    }

    void text(String message) {
        events.submit(() -> handle(message));
    }

    private void handle(String message) {
        JsonNode event;
        try {
            event = ServerContext.JSON.readTree(message);
        } catch (IOException e) {
            error(ctx, "a text frame must be a JSON event (checkpoint_id, stt.input.trace or stt.state.clear); got: "
                    + LiveSessions.Session.abbreviate(message));
            return;
        }
        String object = event.path("object").asText("");
        if (event.has("checkpoint_id")) {
            String id = event.get("checkpoint_id").asText();
            if (id.equals("final")) {
                end(ServerContext.JSON.createObjectNode().put("checkpoint_id", id));
            } else {
                trace(ServerContext.JSON.createObjectNode().put("checkpoint_id", id));
            }
        } else if (object.equals("stt.input.trace")) {
            String id = event.path("trace_id").asText("");
            ObjectNode echo = ServerContext.JSON.createObjectNode().put("object", "stt.output.trace").put("trace_id", id);
            if (id.equals("final")) {
                end(echo);
            } else {
                trace(echo);
            }
        } else if (object.equals("stt.state.clear")) {
            clear();
        } else {
            error(ctx, "unknown event " + LiveSessions.Session.abbreviate(message) + ": send binary PCM frames, {\"checkpoint_id\":\"final\"}, "
                    + "{\"object\":\"stt.input.trace\",\"trace_id\":...} or {\"object\":\"stt.state.clear\"}");
        }
    }

    /** Ends the input: the last segments, then {@code echo}; the connection may go on with a fresh context. */
    private void end(ObjectNode echo) {
        LiveStream ending;
        synchronized (this) {
            ending = stream;
        }
        events.hold();
        ending.finish().whenComplete((result, failure) -> {
            synchronized (this) {
                if (failure == null) sendChanges(result, true);
                send(echo);
                if (stream == ending && !closed && ctx.session.isOpen()) {
                    idOffset += result == null ? 0 : result.segments().size();
                    sent.clear();
                    stream = newStream();
                }
            }
            ending.close();   // never under the session's lock: closing waits for a decoding round that may need it
            events.release();
        });
    }

    /** Sends {@code echo} once everything decodable so far is decoded and sent. */
    private void trace(ObjectNode echo) {
        LiveStream current;
        synchronized (this) {
            current = stream;
        }
        current.drain().thenRun(() -> send(echo));
    }

    private void clear() {
        LiveStream old;
        synchronized (this) {
            old = stream;
            idOffset += old.result().segments().size();
            sent.clear();
            stream = newStream();
        }
        old.close();
    }

    /** On the decoding thread after each step; a late step of a stream already replaced (cleared) is dropped. */
    private void onStep(LiveStream source, Result r) {
        synchronized (this) {
            if (source != stream) return;
            server.metrics().chunkLatency(stream.takeChunkLatencyNanos());
            sendChanges(r, false);
        }
    }

    /** Sends the segments whose text or finality changed since last sent. Holds the lock. */
    private void sendChanges(Result r, boolean end) {
        ObjectNode message = ServerContext.JSON.createObjectNode();
        ArrayNode segments = message.putArray("segments");
        for (int i = 0; i < r.segments().size(); i++) {
            Segment s = r.segments().get(i);
            boolean fin = s.isFinal() || end;
            int id = idOffset + i;
            String key = fin + "|" + s.text();
            if (key.equals(sent.get(id))) continue;
            if (s.text().isBlank() && !fin) continue;
            sent.put(id, key);
            ObjectNode seg = segments.addObject().put("id", Integer.toString(id)).put("text", s.text());
            ArrayNode words = seg.putArray("words");
            for (Word w : Words.of(r, s, Double.POSITIVE_INFINITY)) {
                words.addObject().put("word", w.text()).put("start", Formats.round(w.start())).put("end", Formats.round(w.end()))
                        .put("is_final", fin);
            }
        }
        if (!segments.isEmpty()) send(message);
    }

    private void send(ObjectNode message) {
        if (ctx.session.isOpen()) ctx.send(message.toString());
    }

    private static void error(WsContext ctx, String message) {
        if (ctx.session.isOpen()) ctx.send(ServerContext.JSON.createObjectNode().put("error", message).toString());
    }

    @Override
    public synchronized double backlogSeconds() {
        return stream == null ? 0 : stream.backlogSeconds();
    }

    @Override
    public synchronized long idleNanos() {
        return stream == null ? 0 : stream.idleNanos();
    }

    @Override
    public void expire() {
        error(ctx, "no audio for " + server.config().streamIdle().toSeconds() + " s (--stream-idle-s): closing");
        ctx.closeSession(1000, "idle");
    }
}
