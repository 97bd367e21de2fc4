package dev.sotto.nemo;

import dev.sotto.SottoException;
import dev.sotto.decode.Vocabulary;
import dev.sotto.engine.LstmTransducer;
import dev.sotto.engine.StreamingCtc;
import dev.sotto.engine.StreamingTransducer;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a NeMo cache-aware streaming model exported in sherpa-onnx's layout: a transducer
 * (Nemotron Speech Streaming, Nemotron 3.5, FastConformer hybrid streaming models):
 * {@code encoder[.int8|.fp16].onnx} (+ external data), {@code decoder[.int8|.fp16].onnx},
 * {@code joiner[.int8|.fp16].onnx}, {@code tokens.txt}; or the CTC head of a hybrid
 * streaming model: {@code model[.int8|.fp16].onnx} and {@code tokens.txt}. Of several
 * precisions: int8 on the CPU, fp16 on a GPU ({@link ModelFiles#preference}).
 */
final class NemoModel {
    private NemoModel() {
    }

    /** Whether dir holds a NeMo streaming export, transducer or CTC (judged from the metadata). */
    public static boolean looksLikeNemo(Path dir) {
        Path main = mainFile(dir);
        if (main == null) return false;
        Map<String, String> meta = OnnxMetadata.read(main);
        return meta.containsKey("cache_last_channel_dim1") && meta.containsKey("window_size");
    }

    /** The file with the encoder and its metadata: {@code encoder*.onnx}, or the CTC export's {@code model*.onnx}. */
    static Path mainFile(Path dir) {
        if (ModelFiles.has(dir, "encoder")) return ModelFiles.any(dir, "encoder");
        if (ModelFiles.has(dir, "model")) return ModelFiles.any(dir, "model");
        return null;
    }

    /** A CTC export: one {@code model.onnx} and no prediction network. */
    static boolean isCtc(Path dir) {
        return !ModelFiles.has(dir, "encoder") && ModelFiles.has(dir, "model");
    }

    /** Loads the streaming CTC export in dir ({@code model[.int8|.fp16].onnx}, {@code tokens.txt}). */
    public static StreamingCtc loadCtc(Path dir, Runtime runtime) {
        OnnxModel model = runtime.open(ModelFiles.pick(dir, "model", ModelFiles.preference(runtime.onGpu(), true)));
        try {
            NemoEncoder encoder = new NemoEncoder(model, true);
            int vocabSize = model.metaInt("vocab_size");
            Vocabulary vocabulary = vocabulary(dir, vocabSize);
            long classes = model.outputs().get(0).dim(2);
            if (classes >= 0 && classes != vocabSize + 1) {
                throw new SottoException(model.file() + ": the model outputs " + classes + " log-probabilities per frame "
                        + "but its vocab_size is " + vocabSize + " (+1 blank = " + (vocabSize + 1) + ")");
            }
            return new StreamingCtc("nemo-streaming-ctc", dir, encoder.chunkMs(), encoder, vocabSize, vocabulary,
                    vocabulary.idsOfTags(encoder.languages()), List.of());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Vocabulary vocabulary(Path dir, int vocabSize) {
        Path tokensFile = dir.resolve("tokens.txt");
        if (!Files.isRegularFile(tokensFile)) {
            throw new SottoException(dir + ": tokens.txt is missing (the vocabulary, one '<piece> <id>' per line)");
        }
        Vocabulary vocabulary = Vocabulary.load(tokensFile);
        if (vocabulary.size() != vocabSize + 1) {
            throw new SottoException(tokensFile + ": " + vocabulary.size() + " tokens, but the encoder's vocab_size is "
                    + vocabSize + " (+1 for <blk> = " + (vocabSize + 1) + "). Is it the tokens.txt of this model?");
        }
        return vocabulary;
    }

    public static StreamingTransducer load(Path dir, Runtime runtime) {
        List<ModelFiles.Precision> order = ModelFiles.preference(runtime.onGpu(), true);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            OnnxModel encoderModel = runtime.open(ModelFiles.pick(dir, "encoder", order));
            resources.add(encoderModel);
            NemoEncoder encoder = new NemoEncoder(encoderModel, false);
            int vocabSize = encoderModel.metaInt("vocab_size");
            Vocabulary vocabulary = vocabulary(dir, vocabSize);
            OnnxModel decoder = runtime.open(ModelFiles.pick(dir, "decoder", order));
            resources.add(decoder);
            OnnxModel joiner = runtime.open(ModelFiles.pick(dir, "joiner", order));
            resources.add(joiner);
            LstmTransducer transducer = new LstmTransducer(decoder, joiner, vocabSize,
                    encoderModel.metaInt("pred_rnn_layers"), encoderModel.metaInt("pred_hidden"), null);
            if (transducer.durations().length > 0) {
                throw new SottoException(joiner.file() + ": the joint outputs " + (vocabSize + 1 + transducer.durations().length)
                        + " logits but the encoder's vocab_size is " + vocabSize + " (+1 blank = " + (vocabSize + 1)
                        + "). Extra outputs mean a TDT model, which streaming decoding does not support");
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
