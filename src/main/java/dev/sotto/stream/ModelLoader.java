package dev.sotto.stream;

import dev.sotto.SottoException;
import dev.sotto.decode.GreedySearch;
import dev.sotto.decode.ModifiedBeamSearch;
import dev.sotto.decode.TransducerSearch;
import dev.sotto.nemo.NemoFamily;
import dev.sotto.nemo.NemoModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.zipformer.ZipformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Detects a model directory's family and loads it: the one place that knows every family. */
final class ModelLoader {
    private ModelLoader() {
    }

    static Engine load(RecognizerConfig config, Runtime runtime) {
        ModelConfig model = config.model();
        Path dir = model.path().toAbsolutePath().normalize();
        if (!Files.exists(dir)) throw new SottoException(model.path() + ": no such model directory");
        if (!Files.isDirectory(dir)) {
            throw new SottoException(model.path() + ": is a file; --model takes the directory that holds the model files");
        }
        if (NemoFamily.isFamily(dir)) {
            dir = NemoFamily.select(dir, model.chunkMs(), model.acceleration());
        } else if (NemoModel.looksLikeNemo(dir)) {
            NemoFamily.checkSingle(dir, model.chunkMs(), model.acceleration());
        }
        if (NemoModel.looksLikeNemo(dir)) {
            return transducer(NemoModel.load(dir, runtime), config, runtime);
        }
        if (ZipformerModel.looksLikeZipformer(dir)) {
            return transducer(ZipformerModel.load(dir, runtime), config, runtime);
        }
        throw new SottoException(model.path() + ": not a model directory Sotto recognises. Expected a NeMo streaming "
                + "export (encoder/decoder/joiner .onnx + tokens.txt), a directory of such exports (one per chunk size), "
                + "a sherpa-onnx streaming Zipformer, or a Whisper export. Found: " + listing(dir));
    }

    private static Engine transducer(StreamingTransducer model, RecognizerConfig config, Runtime runtime) {
        int beam = config.decoding().beamSize();
        TransducerSearch search = beam > 1 ? new ModifiedBeamSearch(beam) : new GreedySearch();
        return new TransducerEngine(model, search, config.endpoint(), runtime.provider());
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
