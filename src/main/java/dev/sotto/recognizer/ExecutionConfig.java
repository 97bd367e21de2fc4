package dev.sotto.recognizer;

import dev.sotto.runtime.Device;

/** Where the model runs: the device ({@code auto}, {@code cpu}, {@code cuda[:N]}) and CPU threads per session (0 = automatic). */
public final class ExecutionConfig {
    public static final ExecutionConfig DEFAULT = builder().build();

    private final Device device;
    private final int threads;

    private ExecutionConfig(Builder b) {
        this.device = b.device;
        this.threads = b.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Device device() {
        return device;
    }

    public int threads() {
        return threads;
    }

    public static final class Builder {
        private Device device = Device.AUTO;
        private int threads;

        public Builder device(String device) {
            this.device = Device.parse(device);
            return this;
        }

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public ExecutionConfig build() {
            return new ExecutionConfig(this);
        }
    }
}
