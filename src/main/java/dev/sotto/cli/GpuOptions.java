package dev.sotto.cli;

import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.runtime.cuda.CudaOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The CUDA provider's options that users set (used when the model runs on a GPU), and where
 * ONNX Runtime's optimised graphs are kept for the next run: {@code SOTTO_ORT_CACHE} (a
 * directory, or 0 for none), by default {@code SOTTO_HOME/onnxruntime}.
 */
final class GpuOptions {
    @Option(names = "--gpu-mem-limit", paramLabel = "SIZE",
            description = "Cap on the GPU memory ONNX Runtime takes, e.g. 8G or 512M (default: no cap).")
    String memoryLimit;

    @Option(names = "--cudnn-conv-algo-search", paramLabel = "S",
            description = "exhaustive (ONNX Runtime's default: benchmarks convolutions once per shape), heuristic "
                    + "(no benchmarking: a faster first chunk) or default.")
    String convAlgoSearch;

    ExecutionConfig.Builder apply(ExecutionConfig.Builder builder) {
        return builder.gpuMemoryLimit(memoryLimit == null ? 0 : CudaOptions.parseBytes(memoryLimit))
                .cudnnConvAlgoSearch(convAlgoSearch)
                .optimizedModelCache(optimizedModelCache());
    }

    private static Path optimizedModelCache() {
        String value = CliEnvironment.get().get("SOTTO_ORT_CACHE");
        if (value == null || value.isBlank()) return ModelArguments.settings().home().resolve("onnxruntime");
        return value.strip().equals("0") ? null : Path.of(value.strip()).toAbsolutePath().normalize();
    }
}
