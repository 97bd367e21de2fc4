package dev.sotto.bench;

import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import java.nio.file.Path;

/**
 * The model a benchmark runs: -Dsotto.bench.model (a model or family directory; default
 * the synthetic Nemotron family the build generates), -Dsotto.bench.device (default cpu),
 * -Dsotto.bench.threads (default 1).
 */
final class BenchModel {
    private BenchModel() {
    }

    static Recognizer load(int chunkMs) {
        Path model = Path.of(System.getProperty("sotto.bench.model", "target/test-models/nemotron-en"));
        return Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(model).chunkMs(chunkMs).build())
                .execution(ExecutionConfig.builder().device(System.getProperty("sotto.bench.device", "cpu"))
                        .threads(Integer.getInteger("sotto.bench.threads", 1)).build())
                .build());
    }
}
