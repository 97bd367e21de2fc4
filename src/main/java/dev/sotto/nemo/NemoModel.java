package dev.sotto.nemo;

import dev.sotto.SottoException;
import dev.sotto.decode.Vocabulary;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.engine.LstmTransducer;
import dev.sotto.engine.StreamingTransducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a NeMo cache-aware streaming transducer exported in sherpa-onnx's layout
 * (Nemotron Speech Streaming, Nemotron 3.5, FastConformer hybrid streaming models):
 * {@code encoder[.int8].onnx} (+ external data), {@code decoder[.int8].onnx},
 * {@code joiner[.int8].onnx}, {@code tokens.txt}.
 */
final class NemoModel {
    private NemoModel() {
    }

    /** Whether dir holds a NeMo streaming export (judged from the encoder's metadata). */
    public static boolean looksLikeNemo(Path dir) {
        if (!ModelFiles.has(dir, "encoder")) return false;
        Map<String, String> meta = OnnxMetadata.read(ModelFiles.pick(dir, "encoder", true));
        return meta.containsKey("cache_last_channel_dim1") && meta.containsKey("window_size");
    }

    public static StreamingTransducer load(Path dir, Runtime runtime) {
        boolean int8 = !runtime.provider().startsWith("CUDA");
        Path tokensFile = dir.resolve("tokens.txt");
        if (!Files.isRegularFile(tokensFile)) {
            throw new SottoException(dir + ": tokens.txt is missing (the vocabulary, one '<piece> <id>' per line)");
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            OnnxModel encoderModel = runtime.open(ModelFiles.pick(dir, "encoder", int8));
            resources.add(encoderModel);
            NemoEncoder encoder = new NemoEncoder(encoderModel);
            int vocabSize = encoderModel.metaInt("vocab_size");
            Vocabulary vocabulary = Vocabulary.load(tokensFile);
            if (vocabulary.size() != vocabSize + 1) {
                throw new SottoException(tokensFile + ": " + vocabulary.size() + " tokens, but the encoder's vocab_size is "
                        + vocabSize + " (+1 for <blk> = " + (vocabSize + 1) + "). Is it the tokens.txt of this model?");
            }
            OnnxModel decoder = runtime.open(ModelFiles.pick(dir, "decoder", int8));
            resources.add(decoder);
            OnnxModel joiner = runtime.open(ModelFiles.pick(dir, "joiner", int8));
            resources.add(joiner);
            LstmTransducer transducer = new LstmTransducer(decoder, joiner, vocabSize,
                    encoderModel.metaInt("pred_rnn_layers"), encoderModel.metaInt("pred_hidden"), null);
            if (transducer.durations().length > 0) {
                throw new SottoException(joiner.file() + ": the joint outputs " + transducer.durations().length
                        + " logits past the " + (vocabSize + 1) + " tokens: a TDT model, which streaming decoding does "
                        + "not support");
            }
            resources.remove(encoderModel);   // the encoder closes it
            Map<Integer, String> tags = vocabulary.idsOfTags(encoder.languages());
            return new StreamingTransducer("nemo-transducer", dir, encoder.chunkMs(), encoder, transducer, vocabulary,
                    tags, resources);
        } catch (RuntimeException e) {
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
}
