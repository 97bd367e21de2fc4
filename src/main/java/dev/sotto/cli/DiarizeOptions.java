package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.diarize.DiarizationConfig;
import dev.sotto.vad.SileroVad;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that configure speaker diarization, shared by transcribe and diarize. */
final class DiarizeOptions {
    @Option(names = "--num-speakers", paramLabel = "N", defaultValue = "0",
            description = "Diarization: exactly N speakers (default: estimate the number).")
    int numSpeakers;

    @Option(names = "--min-speakers", paramLabel = "N", defaultValue = "1",
            description = "Diarization: at least N speakers when estimating (default: ${DEFAULT-VALUE}).")
    int minSpeakers;

    @Option(names = "--max-speakers", paramLabel = "N", defaultValue = "0",
            description = "Diarization: at most N speakers when estimating (default: no limit).")
    int maxSpeakers;

    @Option(names = "--speaker-model", paramLabel = "FILE|DIR",
            description = "Diarization: a sherpa-onnx speaker-embedding model (3D-Speaker CAM++/ERes2Net, WeSpeaker, "
                    + "NeMo TitaNet). Default: the built-in embedding (MFCC and pitch statistics, no weights).")
    Path speakerModel;

    @Option(names = "--speaker-threshold", paramLabel = "D", defaultValue = "0",
            description = "Diarization: cosine distance at which clusters stay apart (default: the embedding's own).")
    double threshold;

    /**
     * The configuration, with the VAD model: {@code vadArgument} (a file or a model name),
     * else SOTTO_VAD_MODEL or a silero_vad*.onnx beside {@code modelDir}.
     */
    DiarizationConfig config(String vadArgument, Path modelDir) {
        Path vad = vadArgument != null ? ModelArguments.file(vadArgument) : SileroVad.find(modelDir == null ? Path.of(".") : modelDir);
        if (vad == null) {
            throw new SottoException("diarization finds speech with Silero VAD: give --vad-model FILE|silero-vad "
                    + "(or set SOTTO_VAD_MODEL)");
        }
        if (speakerModel != null && !speakerModel.toFile().exists()) {
            throw new SottoException(speakerModel + ": no such speaker model (--speaker-model)");
        }
        try {
            return DiarizationConfig.builder().vadModel(vad).speakerModel(speakerModel).numSpeakers(numSpeakers)
                    .minSpeakers(minSpeakers).maxSpeakers(maxSpeakers).threshold(threshold).build();
        } catch (IllegalArgumentException e) {
            throw new SottoException("diarization options: " + e.getMessage());
        }
    }
}
