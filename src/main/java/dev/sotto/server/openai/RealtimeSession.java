package dev.sotto.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.StreamOptions;
import dev.sotto.server.core.ClientEvents;
import dev.sotto.server.core.LiveSessions;
import dev.sotto.server.core.LiveStream;
import dev.sotto.server.core.Pcm;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerContext;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One OpenAI realtime transcription session ({@code /v1/realtime?intent=transcription}).
 * {@code input_audio_buffer.append} feeds base64 audio (pcm16 at the session's rate, 24 kHz
 * by default, resampled; or G.711) to a {@link LiveStream}. Each conversation item is one
 * turn: its text grows through {@code ...input_audio_transcription.delta} events and ends
 * with {@code .completed}. A turn ends at {@code input_audio_buffer.commit}, or, with
 * {@code turn_detection} set (server VAD, the default), where the model's endpoint rules
 * close a segment: then {@code speech_started}, {@code speech_stopped} and
 * {@code committed} are sent as well. Bad client events get {@code error} events; the
 * session stays open. Events sent after a commit wait until it is decoded and go to the next turn.
 */
final class RealtimeSession implements LiveSessions.Session {
    private static final Map<String, RealtimeSession> OPEN = new ConcurrentHashMap<>();

    private final ServerContext server;
    private final WsContext ctx;
    private final String sessionId = "sess_" + UUID.randomUUID().toString().replace("-", "");
    private long events;
    // Session settings and turn state, guarded by this.
    private ServedModel model;
    private String modelName;
    private String language;
    private String prompt;
    private String format = "audio/pcm";
    private int rate = 24000;
    private boolean serverVad = true;
    private boolean beta;
    private LiveStream stream;
    private int segmentsDone;          // segments of this stream already completed as items (server VAD)
    private String itemId = newItemId();
    private String previousItemId;
    private String itemText = "";      // text of the current item sent as deltas
    private boolean speaking;          // speech_started sent for the current item
    private double audioMs;            // audio accepted in this stream, ms
    private double itemStartMs;        // where the current item's audio starts in this stream, ms
    private boolean closed;            // the client is gone
    private final ClientEvents clientEvents = new ClientEvents();

    private RealtimeSession(ServerContext server, WsContext ctx) {
        this.server = server;
        this.ctx = ctx;
    }

    static void open(ServerContext server, WsContext ctx) {
        ctx.session.setMaxTextMessageSize(16 << 20);
        RealtimeSession s = new RealtimeSession(server, ctx);
        try {
            s.modelName = ctx.queryParam("model");
            s.model = server.models().resolve(s.modelName == null ? "gpt-4o-transcribe" : s.modelName);
        } catch (ServeException e) {
            s.error(null, "invalid_request_error", "model_not_found", e.getMessage());
            ctx.closeSession(1008, "unknown model");
            return;
        }
        String refused = server.live().admit(s);
        if (refused != null) {
            s.error(null, "server_error", "try_again_later", refused);
            ctx.closeSession(LiveSessions.TRY_AGAIN_LATER, "try again later");
            return;
        }
        synchronized (s) {
            s.stream = s.newStream();
        }
        OPEN.put(ctx.sessionId(), s);
        s.send(s.event("session.created").set("session", s.sessionJson()));
    }

    static RealtimeSession of(WsContext ctx) {
        RealtimeSession s = OPEN.get(ctx.sessionId());
        if (s == null) throw new IllegalStateException("no session " + ctx.sessionId());
        return s;
    }

    static void closed(WsContext ctx) {
        RealtimeSession s = OPEN.remove(ctx.sessionId());
        if (s == null) return;
        s.server.live().leave(s);
        LiveStream last;
        synchronized (s) {
            s.closed = true;   // a commit still being decoded must not open a next stream
            last = s.stream;
        }
        last.close();
    }

    private LiveStream newStream() {
        segmentsDone = 0;
        audioMs = 0;
        itemStartMs = 0;
        return model.openLive(new StreamOptions(language, null, prompt), null, this::onStep);
    }

    private static String newItemId() {
        return "item_" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    void binary(ByteBuffer ignored) {
        error(null, "invalid_request_error", "binary_not_supported",
                "send audio as input_audio_buffer.append events with base64 audio, not binary frames");
    }

    void text(String message) {
        clientEvents.submit(() -> handle(message));
    }

    private void handle(String message) {
        JsonNode event;
        try {
            event = ServerContext.JSON.readTree(message);
        } catch (IOException e) {
            error(null, "invalid_request_error", "invalid_json", "the event is not JSON: " + LiveSessions.Session.abbreviate(message));
            return;
        }
        String type = event.path("type").asText("");
        String clientEventId = event.path("event_id").asText(null);
        try {
            switch (type) {
                case "session.update" -> update(event.path("session"), false);
                case "transcription_session.update" -> update(event.path("session"), true);
                case "input_audio_buffer.append" -> append(event.path("audio"));
                case "input_audio_buffer.commit" -> commit(clientEventId);
                case "input_audio_buffer.clear" -> clear();
                default -> throw ServeException.badRequest("type", "unknown event type '" + type + "': this server takes "
                        + "session.update, transcription_session.update and input_audio_buffer.append/commit/clear");
            }
        } catch (ServeException e) {
            send(event("error").set("error", errorJson("invalid_request_error", e.code(), e.getMessage(), clientEventId)
                    .put("param", e.param())));
        }
    }

    /** GA {@code {type:"transcription", audio:{input:{format, transcription, turn_detection}}}} or the beta shape. */
    private void update(JsonNode session, boolean betaShape) {
        if (!session.isObject()) throw ServeException.badRequest("session", "session.update needs a 'session' object");
        JsonNode input = session.path("audio").path("input");
        JsonNode transcription = input.has("transcription") ? input.get("transcription") : session.path("input_audio_transcription");
        JsonNode fmt = input.has("format") ? input.get("format") : session.path("input_audio_format");
        JsonNode turn = input.has("turn_detection") ? input.get("turn_detection") : session.get("turn_detection");
        LiveStream old = null;
        synchronized (this) {
            // Everything is checked before anything changes: a refused update leaves the session as it was.
            String newFormat = format;
            int newRate = rate;
            if (fmt.isObject()) {
                newFormat = fmt.path("type").asText(format);
                newRate = fmt.path("rate").asInt(rate);
            } else if (fmt.isTextual()) {
                newFormat = switch (fmt.asText()) {
                    case "pcm16" -> "audio/pcm";
                    case "g711_ulaw" -> "audio/pcmu";
                    case "g711_alaw" -> "audio/pcma";
                    default -> throw ServeException.badRequest("input_audio_format", "unknown format '" + fmt.asText()
                            + "': use pcm16, g711_ulaw or g711_alaw");
                };
                newRate = newFormat.equals("audio/pcm") ? 24000 : 8000;
            }
            if (!newFormat.equals("audio/pcm") && !newFormat.equals("audio/pcmu") && !newFormat.equals("audio/pcma")) {
                throw ServeException.badRequest("format", "unknown audio format '" + newFormat + "': use audio/pcm, audio/pcmu or audio/pcma");
            }
            if (!newFormat.equals("audio/pcm")) newRate = 8000;
            if (newRate < 8000 || newRate > 96000) throw ServeException.badRequest("rate", "rate " + newRate + " Hz is outside 8000-96000");
            ServedModel newModel = model;
            String newModelName = modelName;
            String newLanguage = language;
            String newPrompt = prompt;
            if (transcription != null && transcription.isObject()) {
                String m = transcription.path("model").asText(null);
                newModel = m == null ? model : server.models().resolve(m);
                newModelName = m == null ? modelName : m;
                String lang = transcription.path("language").asText(null);
                String p = transcription.path("prompt").asText(null);
                newLanguage = lang == null || lang.isBlank() ? null : lang;
                newPrompt = p == null || p.isBlank() ? null : p;
            }
            boolean restart = newModel != model || !java.util.Objects.equals(newLanguage, language)
                    || !java.util.Objects.equals(newPrompt, prompt);
            LiveStream fresh = restart && stream.secondsAccepted() == 0
                    ? newModel.openLive(new StreamOptions(newLanguage, null, newPrompt), null, this::onStep) : null;
            beta = betaShape;
            format = newFormat;
            rate = newRate;
            if (turn != null) serverVad = !turn.isNull();
            model = newModel;
            modelName = newModelName;
            language = newLanguage;
            prompt = newPrompt;
            if (fresh != null) {
                old = stream;
                stream = fresh;
                segmentsDone = 0;
                audioMs = 0;
                itemStartMs = 0;
            }
        }
        if (old != null) old.close();
        send(event(betaShape ? "transcription_session.updated" : "session.updated").set("session", sessionJson()));
    }

    private void append(JsonNode audio) {
        if (!audio.isTextual()) throw ServeException.badRequest("audio", "input_audio_buffer.append needs 'audio', base64 text");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(audio.asText());
        } catch (IllegalArgumentException e) {
            throw ServeException.badRequest("audio", "'audio' is not valid base64: " + e.getMessage());
        }
        synchronized (this) {
            float[] samples = switch (format) {
                case "audio/pcmu" -> Pcm.muLaw(bytes);
                case "audio/pcma" -> Pcm.aLaw(bytes);
                default -> Pcm.s16le(ByteBuffer.wrap(bytes));
            };
            audioMs += samples.length * 1000.0 / rate;
            stream.accept(samples, rate);
        }
    }

    /**
     * Ends the current turn: everything appended so far is decoded, and what the endpoint
     * rules have not already completed becomes one committed item. With no audio since the
     * last item the buffer is empty: an error, as OpenAI answers.
     */
    private void commit(String clientEventId) {
        LiveStream ending;
        synchronized (this) {
            ending = stream;
        }
        clientEvents.hold();
        ending.finish().whenComplete((result, failure) -> {
            synchronized (this) {
                String item = itemId;
                if (closed) {
                    // the client left while its last turn was decoded: nobody to tell
                } else if (failure != null) {
                    send(event("input_audio_buffer.committed").put("previous_item_id", previousItemId).put("item_id", item));
                    send(event("conversation.item.input_audio_transcription.failed").put("item_id", item)
                            .put("content_index", 0).set("error", errorJson("server_error", null, failure.getMessage(), null)));
                } else {
                    StringBuilder rest = new StringBuilder();
                    for (Segment s : result.segments().subList(Math.min(segmentsDone, result.segments().size()), result.segments().size())) {
                        if (!s.text().isBlank()) rest.append(rest.length() > 0 ? " " : "").append(s.text().strip());
                    }
                    if (audioMs <= itemStartMs) {
                        send(event("error").set("error", errorJson("invalid_request_error", "input_audio_buffer_commit_empty",
                                "the input audio buffer is empty: append audio before committing it", clientEventId)));
                    } else {
                        send(event("input_audio_buffer.committed").put("previous_item_id", previousItemId).put("item_id", item));
                        complete(rest.toString(), audioMs);
                    }
                }
                if (stream == ending && !closed && ctx.session.isOpen()) stream = newStream();
            }
            ending.close();
            clientEvents.release();
        });
    }

    private void clear() {
        LiveStream old;
        synchronized (this) {
            old = stream;
            stream = newStream();
            itemText = "";
            speaking = false;
        }
        old.close();
        send(event("input_audio_buffer.cleared"));
    }

    /**
     * On the decoding thread after each step: deltas for the open turn, items completed at
     * endpoints. A late step of a stream already replaced (cleared, committed) is dropped.
     */
    private void onStep(LiveStream source, Result r) {
        synchronized (this) {
            if (source != stream) return;
            server.metrics().chunkLatency(stream.takeChunkLatencyNanos());
            var segments = r.segments();
            for (int i = segmentsDone; i < segments.size(); i++) {
                Segment s = segments.get(i);
                String text = s.text().strip();
                if (!text.isEmpty() && !speaking && serverVad) {
                    speaking = true;
                    send(event("input_audio_buffer.speech_started").put("audio_start_ms", Math.round(s.start() * 1000))
                            .put("item_id", itemId));
                }
                if (text.startsWith(itemText) && text.length() > itemText.length()) {
                    String delta = text.substring(itemText.length());
                    itemText = text;
                    send(event("conversation.item.input_audio_transcription.delta").put("item_id", itemId)
                            .put("content_index", 0).put("delta", delta));
                }
                if (s.isFinal() && serverVad) {
                    segmentsDone = i + 1;
                    if (text.isEmpty()) continue;
                    send(event("input_audio_buffer.speech_stopped").put("audio_end_ms", Math.round(s.end() * 1000))
                            .put("item_id", itemId));
                    send(event("input_audio_buffer.committed").put("previous_item_id", previousItemId).put("item_id", itemId));
                    complete(text, s.end() * 1000);
                } else if (!serverVad) {
                    break;   // one item until commit: deltas follow the whole text
                }
            }
        }
    }

    /**
     * Sends {@code .completed} for the current item, whose audio ends at {@code endMs} of the
     * stream, with its duration as {@code usage}, and starts the next item. Holds the lock.
     */
    private void complete(String transcript, double endMs) {
        if (!transcript.startsWith(itemText) || transcript.equals(itemText)) {
            // nothing more to add as a delta (or the text was revised): completed carries the truth
        } else {
            send(event("conversation.item.input_audio_transcription.delta").put("item_id", itemId).put("content_index", 0)
                    .put("delta", transcript.substring(itemText.length())));
        }
        ObjectNode completed = event("conversation.item.input_audio_transcription.completed").put("item_id", itemId)
                .put("content_index", 0).put("transcript", transcript);
        double seconds = Math.max(0, endMs - itemStartMs) / 1000;
        completed.putObject("usage").put("type", "duration").put("seconds", Math.round(seconds * 1000) / 1000.0);
        send(completed);
        itemStartMs = Math.max(itemStartMs, endMs);
        previousItemId = itemId;
        itemId = newItemId();
        itemText = "";
        speaking = false;
    }

    private synchronized ObjectNode sessionJson() {
        ObjectNode s = ServerContext.JSON.createObjectNode();
        s.put("id", sessionId).put("object", "realtime.transcription_session").put("type", "transcription");
        ObjectNode input = s.putObject("audio").putObject("input");
        ObjectNode fmt = input.putObject("format").put("type", format);
        if (format.equals("audio/pcm")) fmt.put("rate", rate);
        input.putObject("transcription").put("model", modelName == null ? model.name() : modelName)
                .put("language", language).put("prompt", prompt == null ? "" : prompt);
        if (serverVad) {
            input.putObject("turn_detection").put("type", "server_vad");
        } else {
            input.putNull("turn_detection");
        }
        return s;
    }

    private synchronized ObjectNode event(String type) {
        return ServerContext.JSON.createObjectNode().put("type", type).put("event_id", "event_" + (++events));
    }

    private void error(String clientEventId, String type, String code, String message) {
        send(event("error").set("error", errorJson(type, code, message, clientEventId)));
    }

    private static ObjectNode errorJson(String type, String code, String message, String clientEventId) {
        return ServerContext.JSON.createObjectNode().put("type", type).put("code", code).put("message", message)
                .putNull("param").put("event_id", clientEventId);
    }

    private void send(ObjectNode event) {
        if (ctx.session.isOpen()) ctx.send(event.toString());
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
        error(null, "invalid_request_error", "session_idle", "no audio for " + server.config().streamIdle().toSeconds()
                + " s (--stream-idle-s): closing");
        ctx.closeSession(1000, "idle");
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
