package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.features.Npy;
import dev.sotto.engine.Features;
import dev.sotto.recognizer.Recognizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sotto features}: the model's front-end output for a file, as float32 .npy [frames, feat_dim]. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Write the front-end features the model would see (float32 .npy [frames, feat_dim]), "
                + "computed offline over the whole file, for parity checks against NeMo, Kaldi or Whisper.")
final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "Model directory (or family directory), or a model name from `sotto models list`.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "X.npy", description = "Output file.")
    Path out;

    @Parameters(paramLabel = "FILE", description = "Audio or video file, or - for stdin.")
    String file;

    @Override
    public Integer call() throws IOException {
        Features extraction = Recognizer.features(ModelArguments.directory(model));
        try (AudioDecoder audio = AudioDecoder.open(file)) {
            float[] buffer = new float[AudioDecoder.SAMPLE_RATE];
            for (int n; (n = audio.read(buffer, 0, buffer.length)) > 0; ) extraction.accept(buffer, 0, n);
        }
        float[][] features = extraction.finish();
        float[] flat = new float[features.length * extraction.dim()];
        for (int i = 0; i < features.length; i++) System.arraycopy(features[i], 0, flat, i * extraction.dim(), extraction.dim());
        Npy.write(out, flat, features.length, extraction.dim());
        System.err.printf("sotto: %d frames x %d (%s) written to %s%n", features.length, extraction.dim(),
                extraction.description(), out);
        return 0;
    }
}
