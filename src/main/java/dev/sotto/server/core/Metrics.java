package dev.sotto.server.core;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The server's Prometheus metrics, in a registry of their own, written in the text format for {@code GET /metrics}. */
public final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("sotto_requests_total")
            .help("HTTP requests by endpoint and status").labelNames("endpoint", "status").register(registry);
    private final Counter audioSeconds = Counter.builder().name("sotto_audio_seconds_total")
            .help("Seconds of audio transcribed").labelNames("model").register(registry);
    private final Histogram rtf = Histogram.builder().name("sotto_real_time_factor")
            .help("Wall time over audio time per transcription (lower is faster)")
            .classicUpperBounds(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5).labelNames("model").register(registry);
    private final Histogram chunkLatency = Histogram.builder().name("sotto_stream_chunk_latency_seconds")
            .help("Live streams: from the arrival of the audio that completes a chunk to the message carrying its words")
            .classicUpperBounds(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5).register(registry);
    private final Gauge loadSeconds = Gauge.builder().name("sotto_model_load_seconds")
            .help("Time it took to load each model").labelNames("model").register(registry);

    /** Queue depth and jobs by state are read when scraped. */
    public Metrics(IntSupplier queueDepth, Supplier<Map<String, Integer>> jobsByState, IntSupplier liveStreams) {
        GaugeWithCallback.builder().name("sotto_live_streams").help("Open live (WebSocket) streams")
                .callback(cb -> cb.call(liveStreams.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("sotto_queue_depth").help("Asynchronous jobs waiting to run")
                .callback(cb -> cb.call(queueDepth.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("sotto_jobs").help("Asynchronous jobs by state").labelNames("state")
                .callback(cb -> jobsByState.get().forEach((state, n) -> cb.call(n, state))).register(registry);
    }

    public void request(String endpoint, int status) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
    }

    public void transcribed(String model, double audio, double wall) {
        if (audio <= 0) return;
        audioSeconds.labelValues(model).inc(audio);
        rtf.labelValues(model).observe(wall / audio);
    }

    public void chunkLatency(long nanos) {
        if (nanos > 0) chunkLatency.observe(nanos / 1e9);
    }

    public void modelLoaded(String model, double seconds) {
        loadSeconds.labelValues(model).set(seconds);
    }

    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
