package dev.sotto.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.SottoException;
import dev.sotto.server.core.Api;
import dev.sotto.server.core.JobStore;
import dev.sotto.server.core.Models;
import dev.sotto.server.core.ServedModel;
import dev.sotto.server.core.ServerConfig;
import dev.sotto.server.core.ServerContext;
import dev.sotto.server.fal.FalApi;
import dev.sotto.server.fireworks.FireworksApi;
import dev.sotto.server.nanogpt.NanoGptApi;
import dev.sotto.server.omni.OmniApi;
import dev.sotto.server.openai.OpenAiApi;
import dev.sotto.server.web.WebApi;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code sotto serve}: loads the models, opens the job store, and serves every API on one
 * Javalin (Jetty) server with {@code /health} and {@code /metrics}. Adding an API is one
 * line in {@link #APIS}.
 */
public final class SottoServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SottoServer.class.getName());

    /** The cloud APIs spoken here, and the web page that uses them. */
    private static final List<Function<ServerContext, Api>> APIS = List.of(
            OpenAiApi::new,
            FalApi::new,
            NanoGptApi::new,
            FireworksApi::new,
            OmniApi::new,
            WebApi::new);

    private final ServerConfig config;
    private final Models models;
    private final JobStore store;
    private final ServerContext context;
    private final Javalin app;
    private final List<Api> apis;
    private volatile boolean stopping;
    private final AtomicInteger inFlight = new AtomicInteger();   // accepted requests not yet answered

    private SottoServer(ServerConfig config, Models models, JobStore store) {
        this.config = config;
        this.models = models;
        this.store = store;
        this.context = new ServerContext(config, models, store);
        this.apis = APIS.stream().map(f -> f.apply(context)).toList();
        Path multipartDir = config.spoolDir().resolve("multipart");
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.jetty.multipartConfig.cacheDirectory(multipartDir.toString());
            c.jetty.multipartConfig.maxInMemoryFileSize(64, SizeUnit.KB);
            c.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes() + (1 << 20), SizeUnit.BYTES);
            c.http.maxRequestSize = 1 << 20;   // JSON bodies; uploads go through multipart
            c.jetty.modifyServer(server -> server.setStopTimeout(config.shutdownTimeout().toMillis()));
            if (config.tlsCert() != null) {
                var tls = Tls.contextFactory(config.tlsCert(), config.tlsKey());
                c.jetty.addConnector((server, http) -> {
                    http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
                    var connector = new org.eclipse.jetty.server.ServerConnector(server,
                            new org.eclipse.jetty.server.SslConnectionFactory(tls, "http/1.1"),
                            new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    return connector;
                });
            }
            c.requestLogger.http((ctx, ms) -> {
                if (ctx.attribute("counted") != null) inFlight.decrementAndGet();
                Object audio = ctx.attribute("audio_seconds");
                context.metrics().request(ctx.endpoint() == null ? ctx.path() : ctx.path(), ctx.statusCode());
                System.err.printf(Locale.ROOT, "%s %s %d audio=%.2fs wall=%.3fs%n", ctx.method(), ctx.path(),
                        ctx.statusCode(), audio instanceof Double d ? d : 0.0, ms / 1000.0);
            });
            c.routes.before(ctx -> {
                if (stopping) {
                    ctx.header("Connection", "close");
                    throw new io.javalin.http.HttpResponseException(503, "the server is shutting down");
                }
                inFlight.incrementAndGet();
                ctx.attribute("counted", true);
            });
            c.routes.get("/health", ctx -> ctx.contentType("application/json").result(health().toString()));
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(context.metrics().scrape()));
            for (Api api : apis) api.register(c.routes);
        });
    }

    /** Loads everything and starts listening; fails with a SottoException saying what is wrong. */
    public static SottoServer start(ServerConfig config) {
        if (!config.loopbackOnly() && config.apiKeys().isEmpty() && !config.noAuth()) {
            throw new SottoException("--host " + config.host() + " exposes the server beyond this machine without a key: "
                    + "pass --api-key KEY (or set SOTTO_API_KEYS), or --no-auth to serve without one on purpose");
        }
        sweepSpool(config.spoolDir());
        JobStore store = JobStore.open(config.dataDir());
        Models models;
        try {
            models = Models.load(config.models(), config.aliases(), config.execution(), config.batching());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        SottoServer server = new SottoServer(config, models, store);
        server.app.start();
        server.context.jobs().start();
        LOG.info("listening on " + (config.tlsCert() != null ? "https" : "http") + "://" + config.host() + ":" + server.port() + " with " + models.loadedNames()
                + (config.apiKeys().isEmpty() ? " (no API key)" : " (API key required)"));
        return server;
    }

    public int port() {
        return app.port();
    }

    private ObjectNode health() {
        ObjectNode o = ServerContext.JSON.createObjectNode().put("status", stopping ? "stopping" : "ok");
        ArrayNode list = o.putArray("models");
        for (ServedModel m : models.all()) {
            list.addObject().put("name", m.name()).put("family", m.info().family()).put("provider", m.info().provider())
                    .put("provider_reason", m.info().providerReason()).put("device", m.device())
                    .put("chunk_ms", m.info().chunkMs());
        }
        ObjectNode names = o.putObject("names");
        models.names().forEach(names::put);
        o.put("queue_depth", context.jobs().depth());
        for (Api api : apis) api.health(o);
        return o;
    }

    /** Files left in the spool by a crash belong to no request any more. */
    private static void sweepSpool(Path spool) {
        if (!Files.isDirectory(spool)) return;
        try (Stream<Path> files = Files.walk(spool)) {
            files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(spool)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file in use by another server on the same --data: leave it
                }
            });
        } catch (IOException e) {
            LOG.warning("cannot sweep the spool " + spool + ": " + e.getMessage());
        }
    }

    /**
     * Stops accepting requests, lets running synchronous requests finish (up to the shutdown
     * timeout), and leaves queued jobs on disk for the next start.
     */
    @Override
    public void close() {
        stopping = true;
        LOG.info("shutting down: finishing running requests, queued jobs stay on disk");
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        // Workers stop taking queued jobs at once; running ones get the same time as requests.
        Thread jobs = new Thread(() -> context.jobs().shutdown(config.shutdownTimeout()), "sotto-jobs-shutdown");
        jobs.start();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) LOG.warning(inFlight.get() + " requests still running after " + config.shutdownTimeout().toSeconds() + " s: stopping anyway");
        try {
            jobs.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        context.live().close();
        context.closeDiarizer();
        models.close();
        store.close();
    }
}
