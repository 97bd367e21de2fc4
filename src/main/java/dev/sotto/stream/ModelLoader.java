package dev.sotto.stream;

import dev.sotto.SottoException;
import dev.sotto.decode.GreedySearch;
import dev.sotto.decode.ModifiedBeamSearch;
import dev.sotto.decode.TransducerSearch;
import dev.sotto.nemo.NemoFamily;
import dev.sotto.nemo.NemoModel;
import dev.sotto.features.NemoMel;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.Runtime;
import dev.sotto.whisper.WhisperEngine;
import dev.sotto.zipformer.ZipformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        String name = dir.getFileName().toString();
        if (WhisperEngine.looksLikeWhisper(dir)) {
            if (model.chunkMs() != 0 || model.acceleration() != null) {
                throw new SottoException(model.path() + " is a Whisper model: it decodes 30 s windows, so --chunk-ms and "
                        + "--acceleration do not apply (they choose a streaming model's chunk size)");
            }
            return WhisperEngine.load(dir, runtime, config.decoding());
        }
        if (NemoFamily.isFamily(dir)) {
            dir = NemoFamily.select(dir, model.chunkMs(), model.acceleration());
            name += "/" + dir.getFileName();
        } else if (NemoModel.looksLikeNemo(dir)) {
            NemoFamily.checkSingle(dir, model.chunkMs(), model.acceleration());
        }
        if (NemoModel.looksLikeNemo(dir)) {
            return transducer(NemoModel.load(dir, runtime), name, config, runtime);
        }
        if (ZipformerModel.looksLikeZipformer(dir)) {
            return transducer(ZipformerModel.load(dir, runtime), name, config, runtime);
        }
        throw new SottoException(model.path() + ": not a model directory Sotto recognises. Expected a NeMo streaming "
                + "export (encoder/decoder/joiner .onnx + tokens.txt), a directory of such exports (one per chunk size), "
                + "a sherpa-onnx streaming Zipformer, or a Whisper export. Found: " + listing(dir));
    }

    static java.util.List<Integer> chunkSizes(Path dir) {
        if (!Files.isDirectory(dir)) throw new SottoException(dir + ": no such model directory");
        if (NemoFamily.isFamily(dir)) return java.util.List.copyOf(NemoFamily.exports(dir).keySet());
        if (NemoModel.looksLikeNemo(dir)) return java.util.List.of(NemoFamily.chunkMs(dir));
        return java.util.List.of();
    }

    /** The offline front end of the model in dir, for `sotto features`. */
    static Features features(Path dir) {
        if (!Files.isDirectory(dir)) throw new SottoException(dir + ": no such model directory");
        if (NemoFamily.isFamily(dir)) dir = NemoFamily.select(dir, 0, null);
        if (NemoModel.looksLikeNemo(dir)) {
            Map<String, String> meta = OnnxMetadata.read(ModelFiles.pick(dir, "encoder", true));
            int dim = Integer.parseInt(meta.getOrDefault("feat_dim", "80").trim());
            String normalize = meta.getOrDefault("normalize_type", "");
            boolean perFeature = normalize.equals("per_feature");
            return Features.streaming(new NemoMel(dim), perFeature, "NeMo log-mel, " + dim + " bins"
                    + (perFeature ? ", per_feature normalised" : ", not normalised"));
        }
        if (ZipformerModel.looksLikeZipformer(dir)) {
            return Features.streaming(ZipformerModel.frontEnd(), false, "Kaldi fbank as sherpa-onnx computes it, 80 bins");
        }
        if (WhisperEngine.looksLikeWhisper(dir)) return Features.whisper(WhisperEngine.melBins(dir));
        throw new SottoException(dir + ": not a model directory Sotto recognises. Found: " + listing(dir));
    }

    private static Engine transducer(StreamingTransducer model, String name, RecognizerConfig config, Runtime runtime) {
        int beam = config.decoding().beamSize();
        TransducerSearch search = beam > 1 ? new ModifiedBeamSearch(beam) : new GreedySearch();
        return new TransducerEngine(model, name, search, config.endpoint(), runtime.provider());
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
