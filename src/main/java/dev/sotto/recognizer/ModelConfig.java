package dev.sotto.recognizer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which model to load. {@code path} is a model directory (sherpa-onnx or Hugging Face
 * layout; the family is detected from the files) or a family directory that holds one
 * export per chunk size, from which {@code chunkMs} or {@code acceleration} picks one.
 */
public final class ModelConfig {
    private final Path path;
    private final int chunkMs;
    private final String acceleration;

    private ModelConfig(Builder b) {
        this.path = Objects.requireNonNull(b.path, "model path");
        this.chunkMs = b.chunkMs;
        this.acceleration = b.acceleration;
    }

    public static Builder builder(Path path) {
        return new Builder().path(path);
    }

    public Path path() {
        return path;
    }

    /** The chunk size asked for in ms, or 0 when not set. */
    public int chunkMs() {
        return chunkMs;
    }

    /** An acceleration name (none/low/medium/high, or none/regular/high/full), or null. */
    public String acceleration() {
        return acceleration;
    }

    public static final class Builder {
        private Path path;
        private int chunkMs;
        private String acceleration;

        public Builder path(Path path) {
            this.path = path;
            return this;
        }

        public Builder chunkMs(int chunkMs) {
            this.chunkMs = chunkMs;
            return this;
        }

        public Builder acceleration(String acceleration) {
            this.acceleration = acceleration;
            return this;
        }

        public ModelConfig build() {
            return new ModelConfig(this);
        }
    }
}
