package dev.sotto.decode;

import java.util.List;

/**
 * The prediction network and joint of a transducer, batched, as the searches use them.
 * Implementations run ONNX sessions; the searches know nothing about ONNX.
 */
public interface TransducerModel {
    /** The blank id (last for NeMo, 0 for icefall). */
    int blankId();

    /** Logits per joint call (vocabulary size including blank). */
    int vocabSize();

    /** Tokens one encoder frame may emit before the search moves on (NeMo 10, icefall 1). */
    int maxSymbolsPerFrame();

    /**
     * For a TDT joint (token-and-duration transducer): the frames each duration output
     * stands for ({0, 1, 2, 3, 4} for Parakeet); its logits follow the {@link #vocabSize()}
     * token logits in each joint row. Empty for a plain RNN-T joint.
     */
    default int[] durations() {
        return new int[0];
    }

    /** The state after the start context (blank), before any token. */
    PredictorState initialState();

    /** Feeds {@code tokens[i]} to {@code states.get(i)}'s prediction network, batched. */
    List<PredictorState> advance(List<PredictorState> states, int[] tokens);

    /** Joint logits for each (encoder frame, predictor state) pair, batched: [n][vocabSize]. */
    float[][] joint(List<float[]> encoderFrames, List<PredictorState> states);
}
