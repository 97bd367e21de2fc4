package dev.sotto.recognizer;

import dev.sotto.runtime.Device;
import dev.sotto.runtime.cuda.CudaOptions;

/**
 * Where the model runs: the device ({@code auto}, {@code cpu}, {@code cuda[:N]}), CPU threads
 * per session (0 = automatic), and on a GPU the CUDA provider's memory limit and cuDNN's
 * convolution algorithm search.
 */
public final class ExecutionConfig {
    public static final ExecutionConfig DEFAULT = builder().build();

    private final Device device;
    private final int threads;
    private final CudaOptions cuda;

    private ExecutionConfig(Builder b) {
        this.device = b.device;
        this.threads = b.threads;
        this.cuda = new CudaOptions(b.gpuMemoryLimit, b.cudnnConvAlgoSearch);
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

    /** The CUDA provider's options (used when the model runs on a GPU). */
    public CudaOptions cuda() {
        return cuda;
    }

    public static final class Builder {
        private Device device = Device.AUTO;
        private int threads;
        private long gpuMemoryLimit;
        private String cudnnConvAlgoSearch;

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

        /** Caps the GPU memory ONNX Runtime's arena takes, in bytes (0 = no cap; the device id is the device's). */
        public Builder gpuMemoryLimit(long bytes) {
            this.gpuMemoryLimit = bytes;
            return this;
        }

        /**
         * cuDNN's convolution algorithm search: {@code exhaustive} (ONNX Runtime's default:
         * benchmarks once per input shape), {@code heuristic} (no benchmarking, faster first
         * chunk) or {@code default}; null keeps ONNX Runtime's default.
         */
        public Builder cudnnConvAlgoSearch(String search) {
            this.cudnnConvAlgoSearch = search;
            return this;
        }

        public ExecutionConfig build() {
            return new ExecutionConfig(this);
        }
    }
}
