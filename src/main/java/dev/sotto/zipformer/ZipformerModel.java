package dev.sotto.zipformer;

import dev.sotto.SottoException;
import dev.sotto.decode.Vocabulary;
import dev.sotto.features.FrontEnd;
import dev.sotto.features.KaldiFbank;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.engine.StreamingTransducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads an icefall streaming Zipformer2 transducer in sherpa-onnx's layout:
 * {@code encoder[.int8|.fp16].onnx}, {@code decoder[.int8|.fp16].onnx}, {@code joiner[.int8|.fp16].onnx}
 * (or icefall's {@code encoder-epoch-…-chunk-16-left-64[.int8].onnx} names) and
 * {@code tokens.txt}.
 *
 * <p>Which precision, when a part comes in several: on a GPU fp16, then fp32, as for the
 * other families; on the CPU the int8 encoder, but the fp32 decoder and joiner. They are
 * small, so quantising them saves no time: on the 40 English clips of ../shared the fp32
 * joiner decodes as fast as the int8 one (RTF 0.011 on one thread for both), gives 9.17 %
 * WER instead of 9.30 %, and reproduces sherpa-onnx's transcripts for 39 clips instead
 * of 38. A directory with only int8 files still loads.
 */
final class ZipformerModel {
    static final String FAMILY = "zipformer-transducer";

    private ZipformerModel() {
    }

    /**
     * Whether dir holds an icefall streaming Zipformer export: an encoder, decoder and joiner,
     * with the encoder's metadata describing Zipformer stacks (read without loading it).
     */
    public static boolean looksLikeZipformer(Path dir) {
        if (!ModelFiles.has(dir, "encoder") || !ModelFiles.has(dir, "decoder") || !ModelFiles.has(dir, "joiner")) {
            return false;
        }
        Map<String, String> meta = OnnxMetadata.read(ModelFiles.any(dir, "encoder"));
        return meta.getOrDefault("model_type", "").startsWith("zipformer")
                || (meta.containsKey("encoder_dims") && meta.containsKey("decode_chunk_len"));
    }

    /** Loads the model found in dir (see the class comment for which files). */
    public static StreamingTransducer load(Path dir, Runtime runtime) {
        List<ModelFiles.Precision> encoderOrder = ModelFiles.preference(runtime.onGpu(), true);
        List<ModelFiles.Precision> order = ModelFiles.preference(runtime.onGpu(), false);
        Path tokensFile = dir.resolve("tokens.txt");
        if (!Files.isRegularFile(tokensFile)) {
            throw new SottoException(dir + ": tokens.txt is missing (the vocabulary, one '<piece> <id>' per line)");
        }
        Path encoderFile = ModelFiles.pick(dir, "encoder", encoderOrder);
        checkZipformer2(encoderFile);
        List<AutoCloseable> resources = new ArrayList<>();
        OnnxModel encoderModel = runtime.open(encoderFile);
        try {
            ZipformerEncoder encoder = new ZipformerEncoder(encoderModel);
            OnnxModel decoder = runtime.open(ModelFiles.pick(dir, "decoder", order));
            resources.add(decoder);
            OnnxModel joiner = runtime.open(ModelFiles.pick(dir, "joiner", order));
            resources.add(joiner);
            ZipformerTransducer transducer = new ZipformerTransducer(decoder, joiner, encoder.outputDim());
            Vocabulary vocabulary = Vocabulary.load(tokensFile);
            if (vocabulary.size() != transducer.vocabSize()) {
                throw new SottoException(tokensFile + ": " + vocabulary.size() + " tokens, but the decoder's vocab_size is "
                        + transducer.vocabSize() + ". Is it the tokens.txt of this model?");
            }
            return new StreamingTransducer(FAMILY, dir, encoder.chunkMs(), encoder, transducer, vocabulary, Map.of(),
                    resources);
        } catch (RuntimeException e) {
            resources.add(encoderModel);
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // already failing; the first error is the one to report
                }
            }
            throw e;
        }
    }

    /**
     * The front end of these models, for {@code sotto features}: sherpa-onnx's Kaldi fbank
     * with 80 bins (what every sherpa-onnx streaming Zipformer takes; the encoder's
     * metadata does not say).
     */
    public static FrontEnd frontEnd() {
        return new KaldiFbank(KaldiFbank.Options.sherpaOnnx(80));
    }

    /** Zipformer (v1) streaming exports carry other caches; say so rather than failing on a tensor. */
    private static void checkZipformer2(Path encoderFile) {
        String type = OnnxMetadata.read(encoderFile).getOrDefault("model_type", "zipformer2");
        if (!type.equals("zipformer2")) {
            throw new SottoException(encoderFile + ": metadata model_type is '" + type + "'; Sotto supports streaming "
                    + "Zipformer2 exports (model_type zipformer2, icefall's zipformer recipe), not this variant");
        }
    }
}
