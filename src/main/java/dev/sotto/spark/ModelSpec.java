package dev.sotto.spark;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognizerConfig;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which model an executor loads and how: what travels from the driver to the executors
 * (serializable, and the key of the per-JVM {@link Recognizers} holder).
 *
 * @param argument   {@code --model} as given: a directory, or a model name
 * @param driverPath the directory the driver resolved it to (used by executors that see the same path)
 * @param chunkMs    chunk size in ms, 0 for the model's own
 * @param language   auto, or a language the model knows
 * @param beamSize   0 for the family's default
 * @param batchSize  files decoded together (and, for offline models, pieces per encoder call)
 * @param threads    ONNX Runtime threads per session (0: min(4, cores))
 * @param device     auto, cpu, cuda or cuda:N
 */
public record ModelSpec(String argument, String driverPath, int chunkMs, String language, int beamSize, int batchSize,
                        int threads, String device) implements Serializable {

    /** The recognizer configuration for the model found at {@code directory}: the CLI's, option for option. */
    public RecognizerConfig config(Path directory) {
        return RecognizerConfig.builder(ModelConfig.builder(directory).chunkMs(chunkMs).build())
                .execution(ExecutionConfig.builder().device(device).threads(threads).build())
                .decoding(DecodingConfig.builder().language(language).beamSize(beamSize).batchSize(batchSize).build())
                .build();
    }
}
