package dev.sotto.decode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transducer modified beam search (icefall's {@code modified_beam_search}, as sherpa-onnx
 * runs it): each encoder frame extends every hypothesis by at most one symbol. The joint's
 * log-softmax is added to each hypothesis's log-probability, the best {@code beam}
 * (hypothesis, symbol) pairs over the whole beam survive, a blank keeps the tokens, and
 * pairs that reach the same token sequence are merged by adding their probabilities
 * (log-add). The answer is the hypothesis with the best log-probability per token
 * (counting the start symbol, so an empty hypothesis has length 1).
 *
 * <p>On the silence an engine puts before the audio ({@link SearchState#silentUntil}) only
 * blank extends a hypothesis. Otherwise the search may "hear" a cheap word there: with
 * the start context the Zipformer is less sure of blank over silence than after a word,
 * so a path that emits one early and then confident blanks can outscore the all-blank
 * start, a word that is not in the audio (greedy search, taking the argmax, never does).
 *
 * <p>Batched over streams: per frame, one joint call covers every hypothesis of every
 * stream, and one prediction-network call every new token.
 */
public final class ModifiedBeamSearch implements TransducerSearch {
    public static final int DEFAULT_BEAM = 4;

    private final int beam;

    public ModifiedBeamSearch() {
        this(DEFAULT_BEAM);
    }

    public ModifiedBeamSearch(int beam) {
        if (beam < 1) throw new IllegalArgumentException("beam must be at least 1, got " + beam);
        this.beam = beam;
    }

    public int beam() {
        return beam;
    }

    /** One hypothesis, with the prediction network's state after its tokens. */
    private record Hypothesis(TokenPath tokens, PredictorState predictor, double logProb, int trailingBlanks) {
        double score() {
            return logProb / (tokens.length() + 1);
        }

        /** It gained a token this frame and still carries its parent's predictor state. */
        boolean awaitsPredictor() {
            return trailingBlanks == 0 && tokens.length() > 0;
        }
    }

    private static final class State implements SearchState {
        List<Hypothesis> hyps;
        long silentUntil;

        State(PredictorState initial) {
            hyps = List.of(new Hypothesis(TokenPath.EMPTY, initial, 0, 0));
        }

        Hypothesis best() {
            Hypothesis best = hyps.get(0);
            for (Hypothesis h : hyps) {
                if (h.score() > best.score()) best = h;
            }
            return best;
        }

        @Override
        public List<Emission> tokens() {
            return best().tokens.emissions();
        }

        @Override
        public int trailingBlanks() {
            return best().trailingBlanks;
        }

        @Override
        public void commit() {
            hyps = List.of(best());
        }

        @Override
        public void restart(PredictorState initial) {
            Hypothesis best = best();
            hyps = List.of(new Hypothesis(best.tokens, initial, best.logProb, best.trailingBlanks));
        }

        @Override
        public void silentUntil(long frame) {
            silentUntil = frame;
        }
    }

    @Override
    public SearchState start(TransducerModel model) {
        return new State(model.initialState());
    }

    @Override
    public void search(TransducerModel model, List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
        int maxFrames = 0;
        for (float[][] f : frames) maxFrames = Math.max(maxFrames, f.length);
        for (int t = 0; t < maxFrames; t++) {
            List<float[]> encoder = new ArrayList<>();
            List<PredictorState> predictors = new ArrayList<>();
            for (int s = 0; s < states.size(); s++) {
                if (t >= frames.get(s).length) continue;
                for (Hypothesis h : ((State) states.get(s)).hyps) {
                    encoder.add(frames.get(s)[t]);
                    predictors.add(h.predictor);
                }
            }
            float[][] logits = model.joint(encoder, predictors);
            int row = 0;
            List<Map<TokenPath, Hypothesis>> next = new ArrayList<>();
            for (int s = 0; s < states.size(); s++) {
                if (t >= frames.get(s).length) {
                    next.add(null);
                    continue;
                }
                State state = (State) states.get(s);
                long frame = firstFrame[s] + t;
                next.add(extend(state.hyps, logits, row, model.blankId(), frame, frame < state.silentUntil));
                row += state.hyps.size();
            }
            feedNewTokens(model, states, next);
        }
    }

    /**
     * The best {@code beam} one-symbol extensions of {@code hyps}, merged by token sequence;
     * only blank ones on the silence the engine put before the audio.
     */
    private Map<TokenPath, Hypothesis> extend(List<Hypothesis> hyps, float[][] logits, int firstRow, int blank,
                                              long frame, boolean silent) {
        TopK top = new TopK(beam);
        for (int h = 0; h < hyps.size(); h++) {
            double[] logProbs = logSoftmax(logits[firstRow + h]);
            double base = hyps.get(h).logProb;
            for (int v = 0; v < logProbs.length; v++) {
                if (!silent || v == blank) top.offer(base + logProbs[v], h, v);
            }
        }
        Map<TokenPath, Hypothesis> merged = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {   // best first: on a merge the better one's details stay
            Hypothesis from = hyps.get(top.hyp(i));
            int symbol = top.symbol(i);
            double logProb = top.score(i);
            Hypothesis extended = symbol == blank
                    ? new Hypothesis(from.tokens, from.predictor, logProb, from.trailingBlanks + 1)
                    : new Hypothesis(from.tokens.append(symbol, frame), from.predictor, logProb, 0);
            merged.merge(extended.tokens, extended, (kept, other) ->
                    new Hypothesis(kept.tokens, kept.predictor, logAdd(kept.logProb, other.logProb), kept.trailingBlanks));
        }
        return merged;
    }

    /** Runs the prediction network on every hypothesis that gained a token, in one call. */
    private static void feedNewTokens(TransducerModel model, List<SearchState> states, List<Map<TokenPath, Hypothesis>> next) {
        List<PredictorState> before = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        for (Map<TokenPath, Hypothesis> hyps : next) {
            if (hyps == null) continue;
            for (Hypothesis h : hyps.values()) {
                if (h.awaitsPredictor()) {
                    before.add(h.predictor);
                    tokens.add(h.tokens.lastToken());
                }
            }
        }
        List<PredictorState> after = before.isEmpty() ? List.of()
                : model.advance(before, tokens.stream().mapToInt(Integer::intValue).toArray());
        int k = 0;
        for (int s = 0; s < states.size(); s++) {
            Map<TokenPath, Hypothesis> hyps = next.get(s);
            if (hyps == null) continue;
            List<Hypothesis> updated = new ArrayList<>(hyps.size());
            for (Hypothesis h : hyps.values()) {
                updated.add(h.awaitsPredictor() ? new Hypothesis(h.tokens, after.get(k++), h.logProb, 0) : h);
            }
            ((State) states.get(s)).hyps = updated;
        }
    }

    static double[] logSoftmax(float[] logits) {
        return Scores.logSoftmax(logits, 0, logits.length);
    }

    static double logAdd(double a, double b) {
        return Scores.logAdd(a, b);
    }

    /** The k best (score, hypothesis, symbol) triples offered, kept sorted best first. */
    private static final class TopK {
        private final double[] scores;
        private final int[] hyps;
        private final int[] symbols;
        private int size;

        TopK(int k) {
            scores = new double[k];
            hyps = new int[k];
            symbols = new int[k];
        }

        void offer(double score, int hyp, int symbol) {
            if (size == scores.length && score <= scores[size - 1]) return;
            int i = Math.min(size, scores.length - 1);
            while (i > 0 && scores[i - 1] < score) {
                scores[i] = scores[i - 1];
                hyps[i] = hyps[i - 1];
                symbols[i] = symbols[i - 1];
                i--;
            }
            scores[i] = score;
            hyps[i] = hyp;
            symbols[i] = symbol;
            if (size < scores.length) size++;
        }

        int size() {
            return size;
        }

        double score(int i) {
            return scores[i];
        }

        int hyp(int i) {
            return hyps[i];
        }

        int symbol(int i) {
            return symbols[i];
        }
    }
}
