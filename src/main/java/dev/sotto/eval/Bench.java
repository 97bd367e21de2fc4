package dev.sotto.eval;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.engine.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The chunk-size trade-off, measured: for each model × chunk size, every manifest
 * utterance is streamed in real-time-sized pieces (20 ms packets, as a microphone or a
 * WebSocket client delivers them) and the
 * bench records accuracy (WER/CER), compute (real-time factor, per-chunk latency, the
 * share inside ONNX Runtime, peak memory) and what a live user waits (first-partial and
 * finalisation latency).
 *
 * <p>Latencies are timed on a virtual real-time clock: audio at position t arrives at time
 * t, a chunk is decoded when it has arrived and the previous one is done, and decoding
 * takes the measured compute time. So the bench runs as fast as the machine allows and
 * still reports what a live stream would see. Audio is decoded to memory before timing;
 * one warm-up utterance runs before each configuration is measured.
 */
public final class Bench {

    /** What to measure: models (each a model or a family directory), chunk sizes (empty = all there are), and rows. */
    public record Plan(List<Path> models, List<Integer> chunkSizes, Manifest manifest, ExecutionConfig execution,
                       DecodingConfig decoding) {
    }

    /** One model × chunk size. Times in ms unless named otherwise; rates are fractions (NaN when there is nothing to rate). */
    public record Row(String model, String family, int chunkMs, String provider, int utterances, double audioSeconds,
                      double wer, double cer, double realTimeFactor, double chunkP50, double chunkP95, double chunkP99,
                      double firstPartialMean, double firstPartialP95, double finalizationMean, double finalizationP95,
                      double peakMemoryMb, double runtimeShare, double loadSeconds) {
    }

    private final Plan plan;
    private final Consumer<String> log;

    public Bench(Plan plan, Consumer<String> log) {
        this.plan = plan;
        this.log = log;
    }

    /** Runs every configuration; {@code progress} gets (configuration, utterance) updates. */
    public List<Row> run() {
        List<float[]> audio = new ArrayList<>();
        for (Manifest.Entry e : plan.manifest().entries()) audio.add(decode(e.audio()));
        List<Row> rows = new ArrayList<>();
        for (Path model : plan.models()) {
            List<Integer> sizes = Recognizer.chunkSizes(model);
            if (sizes.isEmpty()) {
                // one fixed geometry (Zipformer) or not chunked at all (Whisper): one row
                rows.add(measure(model, 0, audio));
                continue;
            }
            List<Integer> wanted = plan.chunkSizes().isEmpty() ? sizes : plan.chunkSizes();
            for (int chunkMs : wanted) {
                if (!sizes.isEmpty() && !sizes.contains(chunkMs)) {
                    log.accept(model + " has no " + chunkMs + " ms export (it has " + sizes + "): skipped");
                    continue;
                }
                rows.add(measure(model, chunkMs, audio));
            }
        }
        return rows;
    }

    private Row measure(Path model, int chunkMs, List<float[]> audio) {
        PeakMemory.reset();
        long loadStart = System.nanoTime();
        RecognizerConfig config = RecognizerConfig.builder(ModelConfig.builder(model).chunkMs(chunkMs).build())
                .execution(plan.execution()).decoding(plan.decoding()).build();
        try (Recognizer recognizer = Recognizer.create(config)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            int effectiveChunk = recognizer.info().chunkMs();
            log.accept("measuring " + recognizer.info().name() + " (" + effectiveChunk + " ms)");
            if (!audio.isEmpty()) stream(recognizer, audio.get(0));   // warm-up
            long runtimeStart = recognizer.runtimeNanos();
            Timings timings = new Timings();
            List<EvalReport.Utterance> scored = new ArrayList<>();
            List<Manifest.Entry> entries = plan.manifest().entries();
            for (int i = 0; i < entries.size(); i++) {
                Stats s = stream(recognizer, audio.get(i));
                timings.add(s);
                scored.add(EvalReport.Utterance.score(entries.get(i), s.result.text(), s.audioSeconds, s.computeSeconds));
            }
            EvalReport.Totals totals = EvalReport.Totals.of(scored);
            double compute = timings.computeSeconds;
            double runtimeShare = compute > 0 ? (recognizer.runtimeNanos() - runtimeStart) / 1e9 / compute : Double.NaN;
            return new Row(recognizer.info().name(), recognizer.info().family(), effectiveChunk,
                    recognizer.info().provider(), entries.size(), totals.audioSeconds(),
                    totals.wer() == null ? Double.NaN : totals.wer(), totals.cer() == null ? Double.NaN : totals.cer(),
                    compute / totals.audioSeconds(), percentile(timings.chunks, 50), percentile(timings.chunks, 95),
                    percentile(timings.chunks, 99), mean(timings.firstPartial), percentile(timings.firstPartial, 95),
                    mean(timings.finalization), percentile(timings.finalization, 95), PeakMemory.peakMb(), runtimeShare,
                    loadSeconds);
        }
    }

    /** One utterance's measurements. */
    private record Stats(Result result, double audioSeconds, double computeSeconds, double[] chunkMs,
                         double firstPartialMs, double finalizationMs) {
    }

    private static final class Timings {
        final List<Double> chunks = new ArrayList<>();
        final List<Double> firstPartial = new ArrayList<>();
        final List<Double> finalization = new ArrayList<>();
        double computeSeconds;

        void add(Stats s) {
            for (double c : s.chunkMs) chunks.add(c);
            if (!Double.isNaN(s.firstPartialMs)) firstPartial.add(s.firstPartialMs);
            finalization.add(s.finalizationMs);
            computeSeconds += s.computeSeconds;
        }
    }

    /** Audio arrives in packets of this many ms. */
    static final int PACKET_MS = 20;

    /** Streams one utterance in 20 ms packets, on the virtual real-time clock. */
    private static Stats stream(Recognizer recognizer, float[] samples) {
        int piece = PACKET_MS * AudioDecoder.SAMPLE_RATE / 1000;
        List<Double> chunkTimes = new ArrayList<>();
        double busyUntil = 0;     // virtual seconds at which the decoder is free again
        double firstPartial = Double.NaN;
        double compute = 0;
        try (RecognitionStream s = recognizer.createStream()) {
            for (int pos = 0; pos < samples.length; pos += piece) {
                int n = Math.min(piece, samples.length - pos);
                double arrival = (pos + n) / (double) AudioDecoder.SAMPLE_RATE;
                double clock = Math.max(arrival, busyUntil);
                s.acceptWaveform(samples, pos, n);
                while (recognizer.isReady(s)) {
                    double dt = timedDecode(recognizer, s);
                    chunkTimes.add(dt * 1000);
                    compute += dt;
                    clock += dt;
                    if (Double.isNaN(firstPartial)) {
                        Result partial = recognizer.getResult(s);
                        if (!partial.tokens().isEmpty()) firstPartial = (clock - partial.tokens().get(0).start()) * 1000;
                    }
                }
                busyUntil = clock;
            }
            double end = samples.length / (double) AudioDecoder.SAMPLE_RATE;
            double clock = Math.max(end, busyUntil);
            long t0 = System.nanoTime();
            s.inputFinished();
            double finishing = (System.nanoTime() - t0) / 1e9;
            while (recognizer.isReady(s)) {
                double dt = timedDecode(recognizer, s);
                chunkTimes.add(dt * 1000);
                finishing += dt;
            }
            compute += finishing;
            clock += finishing;
            Result result = recognizer.getResult(s);
            if (Double.isNaN(firstPartial) && !result.tokens().isEmpty()) {
                firstPartial = (clock - result.tokens().get(0).start()) * 1000;
            }
            double[] chunks = chunkTimes.stream().mapToDouble(Double::doubleValue).toArray();
            return new Stats(result, end, compute, chunks, firstPartial, (clock - end) * 1000);
        }
    }

    private static double timedDecode(Recognizer recognizer, RecognitionStream s) {
        long t0 = System.nanoTime();
        recognizer.decode(s);
        return (System.nanoTime() - t0) / 1e9;
    }

    static float[] decode(Path file) {
        try (AudioDecoder in = AudioDecoder.open(file)) {
            float[] all = new float[AudioDecoder.SAMPLE_RATE * 30];
            int n = 0;
            for (int r; (r = in.read(all, n, all.length - n)) > 0; ) {
                n += r;
                if (n == all.length) all = Arrays.copyOf(all, all.length * 2);
            }
            return Arrays.copyOf(all, n);
        } catch (SottoException e) {
            throw new SottoException("bench: " + e.getMessage(), e);
        }
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // nearest-rank: the smallest value with at least p% of the values at or below it
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static double mean(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
