package dev.sotto.server.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.ServeException;
import dev.sotto.server.core.ServerContext;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web page at {@code /}: plain HTML, CSS and JavaScript modules from this package's
 * resources (no build step), which talk to the server's own APIs (OpenAI's transcriptions
 * for uploads, Fireworks' WebSocket for the microphone). The page and its files are public
 * (they hold nothing secret; the page asks for the key and sends it with each API call);
 * the bench report ({@code --bench-report DIR}) is served under the key like any API.
 *
 * <p>Files are looked up by a plain name ({@code [a-z0-9-]+.(html|css|js|svg)}) in this
 * package's resource folder only, so no path can leave it. Each answer carries an ETag and
 * {@code Cache-Control: no-cache} (the browser revalidates: a new jar is seen at once), and
 * the page a Content-Security-Policy that allows only this origin.
 */
public final class WebApi implements Api {
    private static final String RESOURCES = "/dev/sotto/server/web/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    /** Same origin only; blob: for the uploaded file's player, the saved files and the plot; ws(s): for the microphone. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob:; connect-src 'self' ws: wss:; worker-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private final ServerContext server;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    private record Asset(byte[] bytes, String type, String etag) {
    }

    public WebApi(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        routes.get("/web/{name}", ctx -> serve(ctx, ctx.pathParam("name")));
        routes.get("/web/bench/bench.json", ctx -> bench(ctx, "bench.json", "application/json"));
        routes.get("/web/bench/bench.svg", ctx -> bench(ctx, "bench.svg", "image/svg+xml"));
    }

    private void serve(Context ctx, String name) {
        Asset asset = NAME.matcher(name).matches() ? assets.computeIfAbsent(name, WebApi::load).orElse(null) : null;
        if (asset == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("Not found: " + ctx.path() + "\n");
            return;
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (asset.type().startsWith("text/html")) {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Frame-Options", "DENY");
        }
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.type()).result(asset.bytes());
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = WebApi.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return Optional.of(new Asset(bytes, type, "\"" + sha256(bytes).substring(0, 32) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web page's " + name + " from the jar", e);
        }
    }

    /** One file of the bench report, read when asked (a new bench run is seen without a restart); needs the key. */
    private void bench(Context ctx, String file, String type) {
        try {
            server.auth().check(ctx);
            Path dir = server.config().benchReport();
            if (dir == null) {
                throw new ServeException(404, "no_bench_report", null, "This server has no bench report: write one with "
                        + "`sotto bench --model DIR --manifest TSV --out REPORT` and start `sotto serve --bench-report REPORT`");
            }
            Path path = dir.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw new ServeException(404, "no_bench_report", null, "--bench-report " + dir + " has no " + file
                        + " (run `sotto bench --out " + dir + "` again)");
            }
            ctx.header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff");
            if (type.startsWith("image/svg")) ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            ctx.contentType(type).result(Files.readAllBytes(path));
        } catch (ServeException e) {
            error(ctx, e);
        } catch (IOException e) {
            error(ctx, new ServeException(500, "server_error", null, "cannot read the bench report: " + e.getMessage()));
        }
    }

    /** {@code {"error":{"message","code"}}}, as the page reads every API's errors. */
    private static void error(Context ctx, ServeException e) {
        ObjectNode body = ServerContext.JSON.createObjectNode();
        body.putObject("error").put("message", e.getMessage()).put("code", e.code());
        ctx.status(e.status()).contentType("application/json").result(body.toString());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
