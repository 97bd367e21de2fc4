package dev.sotto.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** bench.json and the printed table of a {@link Bench} run. */
public final class BenchReport {
    private BenchReport() {
    }

    /** bench.json: one row per model x chunk size, and how the run was set up. */
    public static String json(List<Bench.Row> rows, String manifest, String device, int threads) {
        // device: what was asked for (auto, cpu, cuda:N); each row names the provider that ran
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("manifest", manifest);
        root.put("device", device);
        root.put("threads", threads);
        root.put("java", System.getProperty("java.version"));
        root.put("cores", java.lang.Runtime.getRuntime().availableProcessors());
        ArrayNode out = root.putArray("rows");
        for (Bench.Row r : rows) {
            ObjectNode o = out.addObject();
            o.put("model", r.model());
            o.put("family", r.family());
            o.put("chunk_ms", r.chunkMs());
            o.put("provider", r.provider());
            o.put("utterances", r.utterances());
            o.put("audio_seconds", round(r.audioSeconds(), 3));
            number(o, "wer", r.wer(), 5);
            number(o, "cer", r.cer(), 5);
            number(o, "real_time_factor", r.realTimeFactor(), 5);
            ObjectNode chunk = o.putObject("chunk_latency_ms");
            number(chunk, "p50", r.chunkP50(), 3);
            number(chunk, "p95", r.chunkP95(), 3);
            number(chunk, "p99", r.chunkP99(), 3);
            ObjectNode first = o.putObject("first_partial_latency_ms");
            number(first, "mean", r.firstPartialMean(), 1);
            number(first, "p95", r.firstPartialP95(), 1);
            ObjectNode fin = o.putObject("finalization_latency_ms");
            number(fin, "mean", r.finalizationMean(), 1);
            number(fin, "p95", r.finalizationP95(), 1);
            number(o, "peak_memory_mb", r.peakMemoryMb(), 1);
            number(o, "runtime_share", r.runtimeShare(), 4);
            number(o, "load_seconds", r.loadSeconds(), 3);
        }
        return root.toPrettyString() + "\n";
    }

    private static void number(ObjectNode o, String key, double v, int digits) {
        if (Double.isNaN(v)) o.putNull(key);
        else o.put(key, round(v, digits));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The table printed on stdout. */
    public static String table(List<Bench.Row> rows) {
        StringBuilder sb = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-28s %6s %8s %7s %23s %13s %11s %8s %6s%n", "model", "chunk", "WER",
                "RTF", "chunk ms p50/p95/p99", "first ms", "final ms", "peak MB", "ORT");
        sb.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Bench.Row r : rows) {
            String rate = !Double.isNaN(r.wer()) ? percent(r.wer()) : !Double.isNaN(r.cer()) ? percent(r.cer()) + "c" : "-";
            sb.append(String.format(Locale.ROOT, "%-28s %6d %8s %7.4f %7.2f/%7.2f/%7.2f %13.0f %11.0f %8.0f %5.0f%%%n",
                    r.model(), r.chunkMs(), rate, r.realTimeFactor(), r.chunkP50(), r.chunkP95(), r.chunkP99(),
                    r.firstPartialMean(), r.finalizationMean(), r.peakMemoryMb(), 100 * r.runtimeShare()));
        }
        return sb.toString();
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
