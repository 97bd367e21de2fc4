package dev.sotto.decode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A transducer whose joint is a lookup table, for search tests that can be checked by
 * hand: the probability of each symbol depends only on the encoder frame's index (the
 * frame's only value) and the last token emitted ({@link #START} before any). Rows not
 * given default to "blank, almost surely".
 */
final class TableTransducer implements TransducerModel {
    static final int START = -1;

    private final int blank;
    private final int vocab;
    private final int maxSymbols;
    private final Map<String, double[]> rows = new HashMap<>();
    int jointCalls;
    int advanceCalls;

    record Last(int token) implements PredictorState {
    }

    TableTransducer(int vocab, int blank, int maxSymbols) {
        this.vocab = vocab;
        this.blank = blank;
        this.maxSymbols = maxSymbols;
    }

    /** After {@code lastToken}, at {@code frame}: symbol probabilities (they should sum to 1). */
    TableTransducer row(int frame, int lastToken, double... probs) {
        if (probs.length != vocab) throw new IllegalArgumentException("need " + vocab + " probabilities");
        rows.put(frame + "/" + lastToken, probs);
        return this;
    }

    /** Encoder frames for frames [from, to) of this table. */
    static float[][] frames(int from, int to) {
        float[][] f = new float[to - from][];
        for (int i = from; i < to; i++) f[i - from] = new float[] {i};
        return f;
    }

    @Override
    public int blankId() {
        return blank;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int maxSymbolsPerFrame() {
        return maxSymbols;
    }

    @Override
    public PredictorState initialState() {
        return new Last(START);
    }

    @Override
    public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
        advanceCalls++;
        List<PredictorState> out = new ArrayList<>();
        for (int token : tokens) out.add(new Last(token));
        return out;
    }

    @Override
    public float[][] joint(List<float[]> encoderFrames, List<PredictorState> states) {
        jointCalls++;
        float[][] out = new float[encoderFrames.size()][];
        for (int i = 0; i < out.length; i++) {
            int frame = (int) encoderFrames.get(i)[0];
            double[] p = rows.get(frame + "/" + ((Last) states.get(i)).token());
            out[i] = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                double prob = p != null ? p[v] : (v == blank ? 1 - 1e-6 * (vocab - 1) : 1e-6);
                out[i][v] = (float) Math.log(Math.max(prob, 1e-9));
            }
        }
        return out;
    }
}
