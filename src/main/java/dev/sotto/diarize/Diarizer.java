package dev.sotto.diarize;

import dev.sotto.SottoException;
import dev.sotto.runtime.Runtime;
import dev.sotto.vad.SileroVad;
import dev.sotto.vad.SpeechDetector;
import dev.sotto.vad.SpeechSegment;
import dev.sotto.vad.VadOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Speaker diarization: Silero VAD finds the speech, each speech region is cut into sliding
 * windows (1.5 s every 0.75 s by default) whose speaker embeddings are clustered
 * (agglomerative, cosine), and the labelled windows become smoothed speaker turns.
 *
 * <p>One diarizer holds the models (thread-safe to share: each {@link Session} has its own
 * VAD state); {@link #session()} takes audio as it comes, keeping only the samples of the
 * speech region still open, and {@link Session#finish()} clusters. Memory grows with the
 * number of windows (one embedding each), not with the audio.
 */
public final class Diarizer implements AutoCloseable {
    /** Silero's defaults, with short pauses kept inside a region (turn changes are found by the windows). */
    static final VadOptions VAD = new VadOptions(0.5, 0.35, 250, 300, 30, 60.0);
    private static final int RATE = SileroVad.SAMPLE_RATE;
    private static final double MIN_WINDOW_SECONDS = 0.25;

    private final DiarizationConfig config;
    private final SileroVad vad;
    private final SpeakerEmbedding embedding;

    private Diarizer(DiarizationConfig config, SileroVad vad, SpeakerEmbedding embedding) {
        this.config = config;
        this.vad = vad;
        this.embedding = embedding;
    }

    /** Opens the models on the CPU with {@link DiarizationConfig#threads()} threads per session. */
    public static Diarizer open(DiarizationConfig config) {
        return open(config, Runtime.create(dev.sotto.runtime.Device.CPU, config.threads()));
    }

    /** Opens the VAD and the speaker model (or the built-in embedding when none is configured). */
    public static Diarizer open(DiarizationConfig config, Runtime runtime) {
        if (config.vadModel() == null) {
            throw new SottoException("diarization needs a Silero VAD model: give --vad-model FILE (or set SOTTO_VAD_MODEL)");
        }
        SileroVad vad = SileroVad.open(runtime, config.vadModel());
        try {
            SpeakerEmbedding e = config.speakerModel() == null ? new SignalEmbedding()
                    : OnnxSpeakerEmbedding.open(runtime, config.speakerModel());
            return new Diarizer(config, vad, e);
        } catch (RuntimeException e) {
            vad.close();
            throw e;
        }
    }

    public DiarizationConfig config() {
        return config;
    }

    public String embeddingName() {
        return embedding.name();
    }

    public Session session() {
        return new Session(config.numSpeakers(), config.minSpeakers(), config.maxSpeakers());
    }

    /** A session with its own speaker count (0: estimate), min and max (0: no limit), for per-request settings. */
    public Session session(int numSpeakers, int minSpeakers, int maxSpeakers) {
        if (numSpeakers < 0 || minSpeakers < 1 || maxSpeakers < 0 || (maxSpeakers > 0 && maxSpeakers < minSpeakers)) {
            throw new IllegalArgumentException("speakers: num " + numSpeakers + ", min " + minSpeakers + ", max " + maxSpeakers);
        }
        return new Session(numSpeakers, minSpeakers, maxSpeakers);
    }

    /** Diarizes a whole signal (16 kHz mono). */
    public Diarization diarize(float[] samples) {
        Session s = session();
        s.accept(samples, 0, samples.length);
        return s.finish();
    }

    /** One audio stream being diarized. */
    public final class Session {
        private final SileroVad.Stream vadStream = vad.newStream();
        private final SpeechDetector detector = new SpeechDetector(VAD);
        private final List<float[]> vectors = new ArrayList<>();
        private final List<double[]> windows = new ArrayList<>();   // {region, centre seconds}
        private final List<double[]> regions = new ArrayList<>();   // {start, end} seconds
        private float[] kept = new float[RATE * 4];
        private long keptFrom;     // absolute index of kept[0]
        private int keptCount;
        private long total;
        private boolean finished;
        private final int numSpeakers;
        private final int minSpeakers;
        private final int maxSpeakers;

        private Session(int numSpeakers, int minSpeakers, int maxSpeakers) {
            this.numSpeakers = numSpeakers;
            this.minSpeakers = minSpeakers;
            this.maxSpeakers = maxSpeakers;
        }

        public void accept(float[] samples, int offset, int length) {
            if (finished) throw new IllegalStateException("samples after finish()");
            if (keptCount + length > kept.length) kept = Arrays.copyOf(kept, Math.max(keptCount + length, kept.length * 2));
            System.arraycopy(samples, offset, kept, keptCount, length);
            keptCount += length;
            total += length;
            detector.accept(vadStream.accept(samples, offset, length));
            drain();
        }

        /** All audio given: clusters the windows into speakers and returns the turns. */
        public Diarization finish() {
            if (!finished) {
                finished = true;
                detector.accept(vadStream.finish());
                detector.finish(total);
                drain();
            }
            return cluster();
        }

        private void drain() {
            for (SpeechSegment seg : detector.poll()) region(seg.start(), Math.min(seg.end(), total));
            long keep = Math.min(detector.openStart(), total);
            int drop = (int) Math.max(0, Math.min(keptCount, keep - keptFrom));
            if (drop > 0) {
                System.arraycopy(kept, drop, kept, 0, keptCount - drop);
                keptCount -= drop;
                keptFrom += drop;
            }
        }

        private void region(long start, long end) {
            start = Math.max(start, keptFrom);
            if (end - start < RATE * MIN_WINDOW_SECONDS / 2) return;
            int r = regions.size();
            regions.add(new double[] {start / (double) RATE, end / (double) RATE});
            int win = (int) Math.round(config.windowSeconds() * RATE);
            int hop = (int) Math.round(config.hopSeconds() * RATE);
            List<long[]> spans = new ArrayList<>();
            if (end - start <= win) {
                spans.add(new long[] {start, end});
            } else {
                long s = start;
                for (; s + win <= end; s += hop) spans.add(new long[] {s, s + win});
                if (spans.get(spans.size() - 1)[1] < end) spans.add(new long[] {end - win, end});
            }
            for (long[] span : spans) {
                int from = (int) (span[0] - keptFrom);
                int to = (int) (span[1] - keptFrom);
                vectors.add(embedding.embed(kept, from, to));
                windows.add(new double[] {r, (span[0] + span[1]) / 2.0 / RATE});
            }
        }

        private Diarization cluster() {
            if (vectors.isEmpty()) return new Diarization(List.of(), 0, embedding.name(), regions);
            float[][] v = vectors.toArray(new float[0][]);
            if (embedding.standardise()) v = standardised(v);
            double threshold = config.threshold() > 0 ? config.threshold() : embedding.defaultThreshold();
            int[] labels = Clustering.cluster(v, threshold, numSpeakers, minSpeakers, maxSpeakers);
            List<Turns.Piece> pieces = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                int r = (int) windows.get(i)[0];
                double[] region = regions.get(r);
                boolean firstInRegion = i == 0 || (int) windows.get(i - 1)[0] != r;
                boolean lastInRegion = i == labels.length - 1 || (int) windows.get(i + 1)[0] != r;
                double centre = windows.get(i)[1];
                double start = firstInRegion ? region[0] : (windows.get(i - 1)[1] + centre) / 2;
                double end = lastInRegion ? region[1] : (centre + windows.get(i + 1)[1]) / 2;
                pieces.add(new Turns.Piece(labels[i], start, end));
            }
            List<SpeakerTurn> turns = Turns.smooth(pieces, config.minTurnSeconds(), config.mergeGapSeconds());
            int speakers = (int) turns.stream().mapToInt(SpeakerTurn::speaker).distinct().count();
            return new Diarization(turns, speakers, embedding.name(), regions);
        }
    }

    /** Each dimension to zero mean and unit variance over the file's windows. */
    static float[][] standardised(float[][] v) {
        int n = v.length;
        int dim = v[0].length;
        float[][] out = new float[n][dim];
        for (int k = 0; k < dim; k++) {
            double mean = 0;
            double sq = 0;
            for (float[] x : v) {
                mean += x[k];
                sq += x[k] * (double) x[k];
            }
            mean /= n;
            double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
            for (int i = 0; i < n; i++) out[i][k] = std < 1e-9 ? 0 : (float) ((v[i][k] - mean) / std);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            embedding.close();
        } finally {
            vad.close();
        }
    }
}
