package dev.sotto.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every endpoint does around its own work: the key check, reading form fields, files,
 * JSON bodies and audio URLs with field-specific 400s, and turning any failure into the
 * API's error shape (never a stack trace).
 */
public final class Requests {
    private static final Logger LOG = Logger.getLogger(Requests.class.getName());
    /** Multipart framing and form fields on top of the file itself. */
    private static final long FORM_OVERHEAD = 1 << 20;

    /** Writes a failure in one API's error shape. */
    @FunctionalInterface
    public interface ErrorRenderer {
        void render(Context ctx, ServeException e);
    }

    private Requests() {
    }

    /** Wraps an endpoint: the key check, an early 413 for oversized bodies, and errors in the API's shape. */
    public static Handler guarded(ServerContext server, ErrorRenderer renderer, Handler handler) {
        return ctx -> {
            try {
                server.auth().check(ctx);
                long length = ctx.contentLength();
                if (length > server.config().maxUploadBytes() + FORM_OVERHEAD) {
                    ctx.header("Connection", "close");
                    throw Upload.tooLarge(server.config().maxUploadBytes());
                }
                handler.handle(ctx);
            } catch (ServeException e) {
                if (e.status() >= 500) LOG.warning(ctx.method() + " " + ctx.path() + ": " + e.getMessage());
                if (e.status() != 413) drain(ctx, server.config().maxUploadBytes() + FORM_OVERHEAD);
                renderer.render(ctx, e);
            } catch (Exception e) {
                ServeException mapped = fromFramework(e, server.config().maxUploadBytes());
                // The body was not read to its end: the connection cannot carry another request.
                if (mapped.status() < 500) ctx.header("Connection", "close");
                if (mapped.status() >= 500) LOG.log(Level.WARNING, ctx.method() + " " + ctx.path() + " failed", e);
                renderer.render(ctx, mapped);
            }
        };
    }

    /**
     * Reads and drops what is left of a request body (up to {@code max} bytes) before an early
     * error, so a client still sending an upload reads the answer instead of a reset connection.
     * Oversized bodies (413) are not read: that connection is closed.
     */
    private static void drain(Context ctx, long max) {
        try {
            var in = ctx.req().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long n = 0;
            for (int r; n < max && (r = in.read(buffer)) > 0; ) n += r;
            if (n >= max) ctx.header("Connection", "close");
        } catch (Exception alreadyRead) {
            // the handler consumed the body (multipart parsing): nothing left to drop
        }
    }

    /** Failures thrown by Jetty's multipart parser or elsewhere, as a status and a message. */
    static ServeException fromFramework(Throwable e, long maxBytes) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("max file size exceeded") || m.contains("max request size exceeded") || m.contains("413")) {
                return Upload.tooLarge(maxBytes);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t.getClass().getName().contains("BadMessage") || m.contains("multipart") || m.contains("boundary")) {
                return new ServeException(400, "malformed_request", null,
                        "The request body is not valid multipart/form-data: " + t.getMessage());
            }
        }
        return new ServeException(500, "server_error", null, "The server failed while handling the request: " + e);
    }

    /** A form field of a multipart or urlencoded request, or null. */
    public static String form(Context ctx, String field) {
        String v = ctx.formParam(field);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A list field sent as {@code name[]} parts, repeated {@code name} parts, or comma-separated values. */
    public static List<String> formList(Context ctx, String field) {
        List<String> raw = new ArrayList<>(ctx.formParams(field + "[]"));
        raw.addAll(ctx.formParams(field));
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            for (String v : r.split(",")) if (!v.isBlank()) out.add(v.strip());
        }
        return out;
    }

    /** The uploaded file in {@code field}, spooled to disk; a 400 naming the field when it is missing. */
    public static Upload file(ServerContext server, Context ctx, String field) {
        if (!isMultipart(ctx)) {
            throw ServeException.badRequest(field, "Send the audio as multipart/form-data with the file in the '" + field
                    + "' field (got Content-Type " + ctx.contentType() + ")");
        }
        UploadedFile f = ctx.uploadedFile(field);
        if (f == null) throw ServeException.badRequest(field, "The '" + field + "' field (the audio file) is missing");
        String name = f.filename() == null || f.filename().isBlank() ? "audio" : f.filename();
        return Upload.spool(f.content(), name, server.config().spoolDir(), server.config().maxUploadBytes());
    }

    public static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The request body as a JSON object; a 400 when it is not one. */
    public static ObjectNode jsonBody(Context ctx) {
        return jsonObject(ctx.bodyAsBytes());
    }

    /** A request body (read by the caller, e.g. past the usual size limit) as a JSON object; a 400 when it is not one. */
    public static ObjectNode jsonObject(byte[] body) {
        boolean blank = true;
        for (int i = 0; i < body.length && blank; i++) blank = Character.isWhitespace(body[i]);
        if (blank) throw ServeException.badRequest(null, "The request body is empty: send a JSON object");
        JsonNode node;
        try {
            node = ServerContext.JSON.readTree(body);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ServeException.badRequest(null, "The request body is not valid JSON: " + why);
        }
        if (!(node instanceof ObjectNode o)) throw ServeException.badRequest(null, "The request body must be a JSON object");
        return o;
    }

    /** A string field of a JSON body; null when absent; a 400 naming it when it has another type. */
    public static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ServeException.badRequest(field, "'" + field + "' must be a string, got " + describe(v));
        return v.asText();
    }

    /** A required string field. */
    public static String requiredText(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null || v.isBlank()) throw ServeException.badRequest(field, "'" + field + "' is required");
        return v;
    }

    /** A boolean field (also "true"/"false" strings, as form posts send them); null when absent. */
    public static Boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual()) return parseBool(field, v.asText());
        throw ServeException.badRequest(field, "'" + field + "' must be true or false, got " + describe(v));
    }

    public static Boolean parseBool(String field, String value) {
        if (value == null) return null;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no", "" -> false;
            default -> throw ServeException.badRequest(field, "'" + field + "' must be true or false, got '" + value + "'");
        };
    }

    public static Double parseNumber(String field, String value) {
        if (value == null) return null;
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw ServeException.badRequest(field, "'" + field + "' must be a number, got '" + value + "'");
        }
    }

    /** Sotto's {@code chunk_ms} (a streaming model's chunk size in ms): 0 when absent; a 400 naming the field unless a positive whole number. */
    public static int chunkMs(String field, String value) {
        if (value == null || value.isBlank()) return 0;
        try {
            int ms = Integer.parseInt(value.strip());
            if (ms > 0) return ms;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ServeException.badRequest(field, "'" + field + "' must be a chunk size in milliseconds (a positive whole "
                + "number such as 160 or 1120; GET /v1/models lists each model's chunk_sizes), got '" + value + "'");
    }

    private static String describe(JsonNode v) {
        return v.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + v;
    }

    /** Downloads an audio URL into the spool under the server's URL policy; refusals are 4xx naming {@code field}. */
    public static Upload fetch(ServerContext server, String url, String field) {
        try {
            UrlFetcher.Fetched f = server.fetcher().fetch(url, server.config().spoolDir());
            return new Upload(f.file(), f.fileName(), f.size());
        } catch (FetchException e) {
            throw new ServeException(e.status(), "invalid_url", field, e.getMessage());
        }
    }
}
