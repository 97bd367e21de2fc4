package dev.sotto.recognizer;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.EndpointConfig;
import java.util.Objects;

/** Everything a {@link Recognizer} needs: one config per concern. */
public final class RecognizerConfig {
    private final ModelConfig model;
    private final ExecutionConfig execution;
    private final DecodingConfig decoding;
    private final EndpointConfig endpoint;

    private RecognizerConfig(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model config");
        this.execution = b.execution;
        this.decoding = b.decoding;
        this.endpoint = b.endpoint;
    }

    public static Builder builder(ModelConfig model) {
        return new Builder().model(model);
    }

    public ModelConfig model() {
        return model;
    }

    public ExecutionConfig execution() {
        return execution;
    }

    public DecodingConfig decoding() {
        return decoding;
    }

    public EndpointConfig endpoint() {
        return endpoint;
    }

    public static final class Builder {
        private ModelConfig model;
        private ExecutionConfig execution = ExecutionConfig.DEFAULT;
        private DecodingConfig decoding = DecodingConfig.DEFAULT;
        private EndpointConfig endpoint = EndpointConfig.DEFAULT;

        public Builder model(ModelConfig model) {
            this.model = model;
            return this;
        }

        public Builder execution(ExecutionConfig execution) {
            this.execution = execution;
            return this;
        }

        public Builder decoding(DecodingConfig decoding) {
            this.decoding = decoding;
            return this;
        }

        public Builder endpoint(EndpointConfig endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public RecognizerConfig build() {
            return new RecognizerConfig(this);
        }
    }
}
