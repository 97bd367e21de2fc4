package dev.sotto.diarize;

import java.nio.file.Path;

/**
 * How to tell speakers apart. Immutable; made with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code speakerModel}: a sherpa-onnx speaker-embedding export (3D-Speaker CAM++ /
 *       ERes2Net, WeSpeaker ResNet, NeMo TitaNet), a {@code .onnx} file or a directory
 *       holding one; null for the built-in embedding, which needs no weights.</li>
 *   <li>{@code vadModel}: the Silero VAD file that finds the speech (required).</li>
 *   <li>{@code numSpeakers}: the exact number of speakers when known (0: estimate it with
 *       {@code threshold}, kept within {@code minSpeakers}..{@code maxSpeakers}).</li>
 *   <li>{@code threshold}: cosine distance above which two clusters are different
 *       speakers (0 picks the embedding's own default).</li>
 *   <li>{@code windowSeconds}/{@code hopSeconds}: the sliding embedding windows.</li>
 *   <li>{@code minTurnSeconds}: shorter turns are given to their neighbours;
 *       {@code mergeGapSeconds}: one speaker's turns closer than this are joined.</li>
 * </ul>
 */
public final class DiarizationConfig {
    private final Path speakerModel;
    private final Path vadModel;
    private final int numSpeakers;
    private final int minSpeakers;
    private final int maxSpeakers;
    private final double threshold;
    private final double windowSeconds;
    private final double hopSeconds;
    private final double minTurnSeconds;
    private final double mergeGapSeconds;
    private final int threads;

    private DiarizationConfig(Builder b) {
        if (b.numSpeakers < 0) throw new IllegalArgumentException("number of speakers must be 0 (estimate) or more");
        if (b.minSpeakers < 1) throw new IllegalArgumentException("min speakers must be at least 1");
        if (b.maxSpeakers < 0) throw new IllegalArgumentException("max speakers must be 0 (no limit) or more");
        if (b.maxSpeakers > 0 && b.maxSpeakers < b.minSpeakers) {
            throw new IllegalArgumentException("max speakers (" + b.maxSpeakers + ") is below min speakers (" + b.minSpeakers + ")");
        }
        if (b.threshold < 0 || b.threshold > 2) throw new IllegalArgumentException("threshold must be a cosine distance in [0, 2]");
        if (!(b.windowSeconds >= 0.5) || !(b.hopSeconds > 0) || b.hopSeconds > b.windowSeconds) {
            throw new IllegalArgumentException("window must be at least 0.5 s and hop in (0, window]");
        }
        this.speakerModel = b.speakerModel;
        this.vadModel = b.vadModel;
        this.numSpeakers = b.numSpeakers;
        this.minSpeakers = b.minSpeakers;
        this.maxSpeakers = b.maxSpeakers;
        this.threshold = b.threshold;
        this.windowSeconds = b.windowSeconds;
        this.hopSeconds = b.hopSeconds;
        this.minTurnSeconds = b.minTurnSeconds;
        this.mergeGapSeconds = b.mergeGapSeconds;
        this.threads = b.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.speakerModel = speakerModel;
        b.vadModel = vadModel;
        b.numSpeakers = numSpeakers;
        b.minSpeakers = minSpeakers;
        b.maxSpeakers = maxSpeakers;
        b.threshold = threshold;
        b.windowSeconds = windowSeconds;
        b.hopSeconds = hopSeconds;
        b.minTurnSeconds = minTurnSeconds;
        b.mergeGapSeconds = mergeGapSeconds;
        b.threads = threads;
        return b;
    }

    public Path speakerModel() {
        return speakerModel;
    }

    public Path vadModel() {
        return vadModel;
    }

    public int numSpeakers() {
        return numSpeakers;
    }

    public int minSpeakers() {
        return minSpeakers;
    }

    public int maxSpeakers() {
        return maxSpeakers;
    }

    public double threshold() {
        return threshold;
    }

    public double windowSeconds() {
        return windowSeconds;
    }

    public double hopSeconds() {
        return hopSeconds;
    }

    public double minTurnSeconds() {
        return minTurnSeconds;
    }

    public double mergeGapSeconds() {
        return mergeGapSeconds;
    }

    public int threads() {
        return threads;
    }

    public static final class Builder {
        private Path speakerModel;
        private Path vadModel;
        private int numSpeakers;
        private int minSpeakers = 1;
        private int maxSpeakers;
        private double threshold;
        private double windowSeconds = 1.5;
        private double hopSeconds = 0.75;
        private double minTurnSeconds = 0.5;
        private double mergeGapSeconds = 1.0;
        private int threads = 1;

        public Builder speakerModel(Path speakerModel) {
            this.speakerModel = speakerModel;
            return this;
        }

        public Builder vadModel(Path vadModel) {
            this.vadModel = vadModel;
            return this;
        }

        public Builder numSpeakers(int n) {
            this.numSpeakers = n;
            return this;
        }

        public Builder minSpeakers(int n) {
            this.minSpeakers = n;
            return this;
        }

        public Builder maxSpeakers(int n) {
            this.maxSpeakers = n;
            return this;
        }

        public Builder threshold(double cosineDistance) {
            this.threshold = cosineDistance;
            return this;
        }

        public Builder window(double seconds, double hop) {
            this.windowSeconds = seconds;
            this.hopSeconds = hop;
            return this;
        }

        public Builder smoothing(double minTurnSeconds, double mergeGapSeconds) {
            this.minTurnSeconds = minTurnSeconds;
            this.mergeGapSeconds = mergeGapSeconds;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public DiarizationConfig build() {
            return new DiarizationConfig(this);
        }
    }
}
