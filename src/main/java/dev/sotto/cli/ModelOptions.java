package dev.sotto.cli;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.EndpointConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognizerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose and configure a model, shared by transcribe, eval and bench. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "Model directory (NeMo streaming export, a directory of them per chunk size, "
                    + "sherpa-onnx Zipformer, or Whisper), or a model name from `sotto models list` (pulled on first use).")
    String model;

    @Option(names = "--acceleration", paramLabel = "NAME",
            description = "Chunk size by name: none/low/medium/high = 1120/560/160/80 ms (English); "
                    + "none/regular/high/full = 1120/560/320/80 ms (multilingual).")
    String acceleration;

    @Option(names = "--chunk-ms", paramLabel = "N", description = "Chunk size in ms (overrides --acceleration).")
    int chunkMs;

    @Option(names = "--language", paramLabel = "L", defaultValue = "auto",
            description = "auto (detect), or a language the model knows: en-US, de-DE, de, ... (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
            description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads per model session; 0 = min(4, cores).")
    int threads;

    @Mixin
    GpuOptions gpu;

    @Option(names = "--beam-size", paramLabel = "N", defaultValue = "0",
            description = "1 = greedy search; more = beam search; 0 = the family's default (greedy for "
                    + "transducers, 5 for Whisper).")
    int beamSize;

    @Option(names = "--task", paramLabel = "T", defaultValue = "transcribe",
            description = "transcribe or translate (Whisper: into English).")
    String task;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text that conditions Whisper's decoder.")
    String prompt;

    @Option(names = "--vad", description = "Drop silence with Silero VAD: Whisper decodes the speech windows in one "
            + "batch; offline NeMo models cut every input at pauses (they always cut inputs over 30 s).")
    boolean vad;

    @Option(names = "--vad-model", paramLabel = "FILE|NAME",
            description = "The Silero VAD model for --vad (silero_vad v5 or v6 .onnx, or the model name silero-vad; "
                    + "implies --vad). Default: SOTTO_VAD_MODEL, or a silero_vad*.onnx beside the model.")
    String vadModel;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1",
            description = "Offline models (Parakeet, NeMo CTC): pieces per encoder call -- several files, or the "
                    + "pieces of a long one, sorted by length and padded (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--emission-delay-ms", paramLabel = "MS", defaultValue = "-1",
            description = "Transducers and CTC: how long after the sound the model emits a token, taken off word "
                    + "start times (default: the model family's measured delay; 200 ms for streaming Zipformer, 0 for "
                    + "NeMo, where none was measured). Token times stay as emitted.")
    int emissionDelayMs;

    @Option(names = "--reset-at-endpoint",
            description = "Reset the model's caches and decoder state at each endpoint (default: keep them).")
    boolean resetAtEndpoint;

    /** The configuration, with {@code --model} and {@code --vad-model} resolved (a name may be pulled first). */
    RecognizerConfig config() {
        Path modelDir = ModelArguments.directory(model);
        Path vadFile = vadModel == null ? null : ModelArguments.file(vadModel);
        return RecognizerConfig.builder(ModelConfig.builder(modelDir).chunkMs(chunkMs).acceleration(acceleration).build())
                .execution(gpu.apply(ExecutionConfig.builder().device(device).threads(threads)).build())
                .decoding(DecodingConfig.builder().language(language).beamSize(beamSize).task(task).prompt(prompt)
                        .vad(vad).vadModel(vadFile).batchSize(batchSize).emissionDelayMs(emissionDelayMs).build())
                .endpoint(EndpointConfig.builder().resetAtEndpoint(resetAtEndpoint).build())
                .build();
    }
}
