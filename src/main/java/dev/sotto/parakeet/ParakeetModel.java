package dev.sotto.parakeet;

import dev.sotto.SottoException;
import dev.sotto.decode.CtcGreedySearch;
import dev.sotto.decode.CtcPrefixBeamSearch;
import dev.sotto.decode.DurationBeamSearch;
import dev.sotto.decode.FrameSearch;
import dev.sotto.decode.GreedySearch;
import dev.sotto.decode.TdtGreedySearch;
import dev.sotto.decode.TransducerSearch;
import dev.sotto.decode.Vocabulary;
import dev.sotto.engine.LstmTransducer;
import dev.sotto.engine.OfflineModel;
import dev.sotto.runtime.ModelFiles;
import dev.sotto.runtime.OnnxMetadata;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads an offline NeMo export in sherpa-onnx's layout: a transducer
 * ({@code encoder/decoder/joiner[.int8|.fp16].onnx}, TDT when the joint has duration
 * outputs) or a CTC model ({@code model[.int8|.fp16].onnx}), with {@code tokens.txt}
 * (blank last). Of several precisions: int8 on the CPU, fp16 on a GPU. Told from the
 * streaming exports by the missing {@code window_size} metadata.
 */
final class ParakeetModel {
    enum Head { TRANSDUCER, CTC }

    private ParakeetModel() {
    }

    /** The kind of offline NeMo export in {@code dir}, or null when it holds none. */
    static Head detect(Path dir) {
        if (ModelFiles.has(dir, "encoder") && ModelFiles.has(dir, "decoder") && ModelFiles.has(dir, "joiner")) {
            Map<String, String> meta = OnnxMetadata.read(ModelFiles.any(dir, "encoder"));
            if (meta.containsKey("vocab_size") && meta.containsKey("pred_rnn_layers") && !meta.containsKey("window_size")) {
                return Head.TRANSDUCER;
            }
        }
        if (ModelFiles.has(dir, "model")) {
            Map<String, String> meta = OnnxMetadata.read(ModelFiles.any(dir, "model"));
            if (meta.containsKey("vocab_size") && !meta.containsKey("window_size")
                    && meta.getOrDefault("model_type", "").startsWith("EncDec")) {
                return Head.CTC;
            }
        }
        return null;
    }

    static OfflineModel load(Path dir, Runtime runtime, int beam) {
        Head head = detect(dir);
        if (head == null) throw new SottoException(dir + ": no offline NeMo export here");
        List<ModelFiles.Precision> order = ModelFiles.preference(runtime.onGpu(), true);
        Path tokensFile = dir.resolve("tokens.txt");
        if (!Files.isRegularFile(tokensFile)) {
            throw new SottoException(dir + ": tokens.txt is missing (the vocabulary, one '<piece> <id>' per line)");
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            OnnxModel main = runtime.open(ModelFiles.pick(dir, head == Head.CTC ? "model" : "encoder", order));
            resources.add(main);
            int vocabSize = main.metaInt("vocab_size");
            Vocabulary vocabulary = Vocabulary.load(tokensFile);
            if (vocabulary.size() != vocabSize + 1) {
                throw new SottoException(tokensFile + ": " + vocabulary.size() + " tokens, but the model's vocab_size is "
                        + vocabSize + " (+1 for <blk> = " + (vocabSize + 1) + "). Is it the tokens.txt of this model?");
            }
            Encoder encoder;
            FrameSearch search;
            String family;
            if (head == Head.CTC) {
                encoder = Encoder.ctc(main, vocabSize);
                search = beam > 1 ? new CtcPrefixBeamSearch(beam, vocabSize) : new CtcGreedySearch(vocabSize);
                family = "nemo-ctc";
            } else {
                encoder = Encoder.transducer(main);
                OnnxModel decoder = runtime.open(ModelFiles.pick(dir, "decoder", order));
                resources.add(decoder);
                OnnxModel joiner = runtime.open(ModelFiles.pick(dir, "joiner", order));
                resources.add(joiner);
                LstmTransducer transducer = new LstmTransducer(decoder, joiner, vocabSize, main.metaInt("pred_rnn_layers"),
                        main.metaInt("pred_hidden"), durations(main));
                boolean tdt = transducer.durations().length > 0;
                TransducerSearch s = beam > 1 ? new DurationBeamSearch(beam, vocabulary.id("<unk>"))
                        : tdt ? new TdtGreedySearch() : new GreedySearch();
                search = FrameSearch.of(s, transducer);
                family = tdt ? "nemo-tdt" : "nemo-rnnt";
            }
            resources.remove(main);   // the encoder closes it
            return new OfflineModel(family, dir, encoder, search, vocabulary, LanguageTags.of(vocabulary), resources);
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

    /** TDT durations from the metadata ("0,1,2,3,4"), or null to number the joint's duration outputs 0, 1, 2, ... */
    private static int[] durations(OnnxModel encoder) {
        String listed = encoder.meta("durations", "").replaceAll("[\\[\\]\\s]", "");
        if (listed.isEmpty()) return null;
        try {
            return Arrays.stream(listed.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new SottoException(encoder.file() + ": metadata durations '" + listed + "' is not a list of integers");
        }
    }
}
