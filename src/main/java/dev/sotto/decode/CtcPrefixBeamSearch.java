package dev.sotto.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CTC prefix beam search: each prefix (collapsed token sequence) keeps the probability of
 * the paths that end in blank and of those that end in its last token, so all the
 * alignments of one text add up. Per frame, prefixes are extended by the {@code beam}
 * most likely tokens; the {@code beam} best prefixes survive. Token times are those of the
 * likeliest path that reached the prefix: the frame where it took each token.
 */
public final class CtcPrefixBeamSearch implements FrameSearch {
    private final int beam;
    private final int blank;

    public CtcPrefixBeamSearch(int beam, int blank) {
        if (beam < 1) throw new IllegalArgumentException("beam must be at least 1, got " + beam);
        this.beam = beam;
        this.blank = blank;
    }

    /** Log-probabilities of a prefix's paths ending in blank and in its last token. */
    private record Scored(double blankEnd, double tokenEnd) {
        double total() {
            return Scores.logAdd(blankEnd, tokenEnd);
        }
    }

    private static final class State implements SearchState {
        Map<TokenPath, Scored> prefixes = new LinkedHashMap<>();
        long frame;   // frames seen

        State() {
            prefixes.put(TokenPath.EMPTY, new Scored(0, Double.NEGATIVE_INFINITY));
        }

        TokenPath best() {
            return prefixes.entrySet().stream().max(Comparator.comparingDouble(e -> e.getValue().total()))
                    .orElseThrow().getKey();
        }

        @Override
        public List<Emission> tokens() {
            return best().emissions();
        }

        @Override
        public int trailingBlanks() {
            List<Emission> tokens = tokens();
            return (int) (tokens.isEmpty() ? frame : frame - tokens.get(tokens.size() - 1).frame() - 1);
        }

        @Override
        public void commit() {
            TokenPath best = best();
            Scored s = prefixes.get(best);
            prefixes = new LinkedHashMap<>();
            prefixes.put(best, s);
        }

        @Override
        public void restart(PredictorState initial) {
            // CTC has no prediction network
        }
    }

    @Override
    public SearchState start() {
        return new State();
    }

    @Override
    public void search(List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
        for (int s = 0; s < states.size(); s++) {
            State state = (State) states.get(s);
            float[][] f = frames.get(s);
            for (int t = 0; t < f.length; t++) step(state, f[t], firstFrame[s] + t);
        }
    }

    /** A prefix's probabilities this frame, and the token times of the likeliest path that reached it. */
    private static final class Next {
        TokenPath path;
        double blankEnd = Double.NEGATIVE_INFINITY;
        double tokenEnd = Double.NEGATIVE_INFINITY;
        double best = Double.NEGATIVE_INFINITY;

        void offer(TokenPath via, double logProb) {
            if (logProb > best) {
                best = logProb;
                path = via;
            }
        }
    }

    private void step(State state, float[] logProbs, long frame) {
        double[] candidates = new double[logProbs.length];
        for (int i = 0; i < candidates.length; i++) candidates[i] = logProbs[i];
        candidates[blank] = Double.NEGATIVE_INFINITY;
        int[] tokens = Scores.topK(candidates, beam);
        Map<TokenPath, Next> next = new LinkedHashMap<>();
        for (Map.Entry<TokenPath, Scored> e : state.prefixes.entrySet()) {
            TokenPath p = e.getKey();
            Scored sc = e.getValue();
            Next same = next.computeIfAbsent(p, k -> new Next());
            double viaBlank = sc.total() + logProbs[blank];
            same.blankEnd = Scores.logAdd(same.blankEnd, viaBlank);
            same.offer(p, viaBlank);
            if (p.length() > 0) {
                double held = sc.tokenEnd + logProbs[p.lastToken()];   // the last token still sounding
                same.tokenEnd = Scores.logAdd(same.tokenEnd, held);
                same.offer(p, held);
            }
            for (int token : tokens) {
                if (token == blank) continue;   // among the k best only when the vocabulary is tiny
                // A repeat extends the prefix only across a blank.
                double from = p.length() > 0 && token == p.lastToken() ? sc.blankEnd : sc.total();
                TokenPath extended = p.append(token, frame);
                Next longer = next.computeIfAbsent(extended, k -> new Next());
                longer.tokenEnd = Scores.logAdd(longer.tokenEnd, from + logProbs[token]);
                longer.offer(extended, from + logProbs[token]);
            }
        }
        List<Next> ranked = new ArrayList<>(next.values());
        ranked.sort(Comparator.comparingDouble((Next n) -> Scores.logAdd(n.blankEnd, n.tokenEnd)).reversed());
        Map<TokenPath, Scored> kept = new LinkedHashMap<>();
        for (Next n : ranked.subList(0, Math.min(beam, ranked.size()))) kept.put(n.path, new Scored(n.blankEnd, n.tokenEnd));
        state.prefixes = kept;
        state.frame = frame + 1;
    }

}
