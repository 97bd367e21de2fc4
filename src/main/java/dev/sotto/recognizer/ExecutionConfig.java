package dev.sotto.recognizer;

import dev.sotto.runtime.Device;
import dev.sotto.runtime.cuda.CudaOptions;
import java.nio.file.Path;

/**
 * Where the model runs: the device ({@code auto}, {@code cpu}, {@code cuda[:N]}), CPU threads
 * per session (0 = automatic), and on a GPU the CUDA provider's memory limit and cuDNN's
 * convolution algorithm search; and where ONNX Runtime's optimised graphs are kept between
 * runs (none by default; the command line keeps them in {@code SOTTO_HOME/onnxruntime}).
 */
public final class ExecutionConfig {
    public static final ExecutionConfig DEFAULT = builder().build();

    private final Device device;
    private final int threads;
    private final CudaOptions cuda;
    private final Path optimizedModelCache;

    private ExecutionConfig(Builder b) {
        this.device = b.device;
        this.threads = b.threads;
        this.cuda = new CudaOptions(b.gpuMemoryLimit, b.cudnnConvAlgoSearch);
        this.optimizedModelCache = b.optimizedModelCache;
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

    /** Where optimised graphs are kept, or null when sessions optimise their graphs every time. */
    public Path optimizedModelCache() {
        return optimizedModelCache;
    }

    public static final class Builder {
        private Device device = Device.AUTO;
        private int threads;
        private long gpuMemoryLimit;
        private String cudnnConvAlgoSearch;
        private Path optimizedModelCache;

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

        /**
         * Keeps each model's graph, as ONNX Runtime optimises it for this CPU, in {@code dir}, so
         * later loads skip the optimisation (see {@link dev.sotto.runtime.OptimizedModelCache}); null for none.
         */
        public Builder optimizedModelCache(Path dir) {
            this.optimizedModelCache = dir;
            return this;
        }

        public ExecutionConfig build() {
            return new ExecutionConfig(this);
        }
    }
}
