package dev.sotto.engine;

/**
 * When a streaming transducer closes a segment, with sherpa-onnx's three rules: trailing
 * silence of {@code silenceWithoutText} seconds when nothing was decoded, of
 * {@code silenceAfterText} seconds after some text, or an utterance of {@code maxUtterance}
 * seconds. The model's caches and decoder state carry across endpoints (a cache-aware
 * encoder loses its left context otherwise) unless {@code resetAtEndpoint} is set.
 */
public final class EndpointConfig {
    public static final EndpointConfig DEFAULT = builder().build();

    private final boolean enabled;
    private final double silenceWithoutText;
    private final double silenceAfterText;
    private final double maxUtterance;
    private final boolean resetAtEndpoint;

    private EndpointConfig(Builder b) {
        this.enabled = b.enabled;
        this.silenceWithoutText = b.silenceWithoutText;
        this.silenceAfterText = b.silenceAfterText;
        this.maxUtterance = b.maxUtterance;
        this.resetAtEndpoint = b.resetAtEndpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public double silenceWithoutText() {
        return silenceWithoutText;
    }

    public double silenceAfterText() {
        return silenceAfterText;
    }

    public double maxUtterance() {
        return maxUtterance;
    }

    public boolean resetAtEndpoint() {
        return resetAtEndpoint;
    }

    public static final class Builder {
        private boolean enabled = true;
        private double silenceWithoutText = 2.4;
        private double silenceAfterText = 1.2;
        private double maxUtterance = 20.0;
        private boolean resetAtEndpoint;

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder silenceWithoutText(double seconds) {
            this.silenceWithoutText = seconds;
            return this;
        }

        public Builder silenceAfterText(double seconds) {
            this.silenceAfterText = seconds;
            return this;
        }

        public Builder maxUtterance(double seconds) {
            this.maxUtterance = seconds;
            return this;
        }

        public Builder resetAtEndpoint(boolean reset) {
            this.resetAtEndpoint = reset;
            return this;
        }

        public EndpointConfig build() {
            return new EndpointConfig(this);
        }
    }
}
