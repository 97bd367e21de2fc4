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
 * most likely tokens; the {@code beam} best prefixes survive. A token's time is the frame
 * where its prefix first appeared.
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

    private void step(State state, float[] logProbs, long frame) {
        double[] lp = new double[logProbs.length];
        for (int i = 0; i < lp.length; i++) lp[i] = logProbs[i];
        double[] candidates = lp.clone();
        candidates[blank] = Double.NEGATIVE_INFINITY;
        int[] tokens = Scores.topK(candidates, beam);
        Map<TokenPath, double[]> next = new LinkedHashMap<>();
        // Prefixes that stay as they are first, so an existing prefix keeps its token times.
        for (Map.Entry<TokenPath, Scored> e : state.prefixes.entrySet()) {
            TokenPath p = e.getKey();
            Scored sc = e.getValue();
            double[] acc = next.computeIfAbsent(p, k -> empty());
            acc[0] = Scores.logAdd(acc[0], sc.total() + lp[blank]);
            if (p.length() > 0) acc[1] = Scores.logAdd(acc[1], sc.tokenEnd + lp[p.lastToken()]);
        }
        for (Map.Entry<TokenPath, Scored> e : state.prefixes.entrySet()) {
            TokenPath p = e.getKey();
            Scored sc = e.getValue();
            for (int token : tokens) {
                // A repeat extends the prefix only across a blank; otherwise it is the same token still sounding.
                double from = p.length() > 0 && token == p.lastToken() ? sc.blankEnd : sc.total();
                double[] acc = next.computeIfAbsent(p.append(token, frame), k -> empty());
                acc[1] = Scores.logAdd(acc[1], from + lp[token]);
            }
        }
        List<Map.Entry<TokenPath, double[]>> ranked = new ArrayList<>(next.entrySet());
        ranked.sort(Comparator.comparingDouble(
                (Map.Entry<TokenPath, double[]> e) -> Scores.logAdd(e.getValue()[0], e.getValue()[1])).reversed());
        Map<TokenPath, Scored> kept = new LinkedHashMap<>();
        for (Map.Entry<TokenPath, double[]> e : ranked.subList(0, Math.min(beam, ranked.size()))) {
            kept.put(e.getKey(), new Scored(e.getValue()[0], e.getValue()[1]));
        }
        state.prefixes = kept;
        state.frame = frame + 1;
    }

    private static double[] empty() {
        return new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    }
}
