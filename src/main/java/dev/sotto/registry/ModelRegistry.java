package dev.sotto.registry;

import dev.sotto.SottoException;
import dev.sotto.engine.Engine;
import dev.sotto.engine.Features;
import dev.sotto.engine.LoadRequest;
import dev.sotto.engine.ModelFamily;
import dev.sotto.nemo.NemoLoader;
import dev.sotto.parakeet.ParakeetLoader;
import dev.sotto.whisper.WhisperLoader;
import dev.sotto.zipformer.ZipformerLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one place that knows every model family: it detects which family a model directory
 * holds and hands it to that family's loader. Adding a family is one line in {@link #FAMILIES}.
 */
public final class ModelRegistry {
    /** In the order they are tried: the first family that recognises a directory loads it. */
    private static final List<ModelFamily> FAMILIES = List.of(
            new WhisperLoader(),
            new NemoLoader(),
            new ZipformerLoader(),
            new ParakeetLoader());

    private ModelRegistry() {
    }

    /** Loads the model the request names (its directory must exist). */
    public static Engine load(LoadRequest request) {
        return familyOf(request.directory(), request.userPath()).load(request);
    }

    /** The chunk sizes (ms) the model in {@code dir} offers without loading it; empty for models that do not stream in chunks. */
    public static List<Integer> chunkSizes(Path dir) {
        if (!Files.isDirectory(dir)) throw new SottoException(dir + ": no such model directory");
        return FAMILIES.stream().filter(f -> f.recognises(dir)).findFirst().map(f -> f.chunkSizes(dir)).orElse(List.of());
    }

    /** The offline front end of the model in {@code dir}, for {@code sotto features}. */
    public static Features features(Path dir) {
        if (!Files.isDirectory(dir)) throw new SottoException(dir + ": no such model directory");
        return familyOf(dir, dir).features(dir);
    }

    private static ModelFamily familyOf(Path dir, Path userPath) {
        if (!Files.exists(dir)) throw new SottoException(userPath + ": no such model directory");
        if (!Files.isDirectory(dir)) {
            throw new SottoException(userPath + ": is a file; --model takes the directory that holds the model files");
        }
        for (ModelFamily family : FAMILIES) {
            if (family.recognises(dir)) return family;
        }
        throw new SottoException(userPath + ": not a model directory Sotto recognises. Expected a NeMo streaming "
                + "export (encoder/decoder/joiner .onnx + tokens.txt), a directory of such exports (one per chunk size), "
                + "a NeMo offline export (Parakeet TDT/RNN-T: encoder/decoder/joiner .onnx; CTC: model.onnx; + tokens.txt), "
                + "a sherpa-onnx streaming Zipformer, or a Whisper export. Found: " + listing(dir));
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            String names = files.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().limit(20)
                    .collect(Collectors.joining(", "));
            return names.isEmpty() ? "(empty directory)" : names;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
