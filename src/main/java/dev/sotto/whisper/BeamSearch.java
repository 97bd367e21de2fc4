package dev.sotto.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * openai/whisper's beam search: each step, every beam proposes its {@code beam + 1} best
 * next tokens; per window the best {@code beam} unfinished continuations survive, and the
 * ones ending in end-of-text join the finished list (at most {@code beam * patience}).
 * Decoding stops when every window has that many finished sequences.
 */
final class BeamSearch implements TokenSearch {
    private final int beam;
    private final int eot;
    private final int maxCandidates;
    private List<LinkedHashMap<Key, Double>> finished;

    BeamSearch(int beam, int eot, double patience) {
        this.beam = beam;
        this.eot = eot;
        this.maxCandidates = (int) Math.round(beam * patience);
        if (maxCandidates <= 0) throw new IllegalArgumentException("beam " + beam + " with patience " + patience);
    }

    /** A token sequence usable as a map key. */
    private record Key(int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.tokens, tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    private record Proposal(double score, int source) {
    }

    @Override
    public int[] update(Hypotheses rows, float[][] logits) {
        int windows = rows.rows() / beam;
        if (finished == null) {
            finished = new ArrayList<>();
            for (int w = 0; w < windows; w++) finished.add(new LinkedHashMap<>());
        }
        int[][] nextTokens = new int[rows.rows()][];
        double[] nextLogprob = new double[rows.rows()];
        int[] source = new int[rows.rows()];
        int saved = 0;
        for (int w = 0; w < windows; w++) {
            // Every beam's best beam+1 continuations; identical sequences keep their first place.
            LinkedHashMap<Key, Proposal> proposals = new LinkedHashMap<>();
            for (int j = 0; j < beam; j++) {
                int row = w * beam + j;
                double lse = Softmax.logSumExp(logits[row], 0, logits[row].length);
                for (int token : topK(logits[row], beam + 1)) {
                    double score = rows.logprob[row] + (logits[row][token] - lse);
                    proposals.put(new Key(Hypotheses.append(rows.tokens[row], token)), new Proposal(score, row));
                }
            }
            List<Map.Entry<Key, Proposal>> ranked = new ArrayList<>(proposals.entrySet());
            ranked.sort(Comparator.comparingDouble((Map.Entry<Key, Proposal> e) -> e.getValue().score()).reversed());
            LinkedHashMap<Key, Double> newlyFinished = new LinkedHashMap<>();
            int kept = 0;
            for (Map.Entry<Key, Proposal> e : ranked) {
                int[] seq = e.getKey().tokens();
                if (seq[seq.length - 1] == eot) {
                    newlyFinished.put(e.getKey(), e.getValue().score());
                } else {
                    nextTokens[saved] = seq;
                    nextLogprob[saved] = e.getValue().score();
                    source[saved] = e.getValue().source();
                    saved++;
                    if (++kept == beam) break;
                }
            }
            while (kept < beam) {   // fewer live candidates than beams (only -inf left): pad with the last one
                nextTokens[saved] = nextTokens[saved - 1];
                nextLogprob[saved] = Double.NEGATIVE_INFINITY;
                source[saved] = source[saved - 1];
                saved++;
                kept++;
            }
            LinkedHashMap<Key, Double> done = finished.get(w);
            for (Map.Entry<Key, Double> e : newlyFinished.entrySet()) {   // already best first
                if (done.size() >= maxCandidates) break;
                done.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        for (int r = 0; r < rows.rows(); r++) {
            rows.tokens[r] = nextTokens[r];
            rows.logprob[r] = nextLogprob[r];
        }
        return source;
    }

    /** Indices of the k largest values, largest first; ties keep the lower index first. */
    static int[] topK(float[] x, int k) {
        int[] best = new int[Math.min(k, x.length)];
        // Partial selection: k is small (beam + 1).
        boolean[] taken = new boolean[x.length];
        for (int n = 0; n < best.length; n++) {
            int b = -1;
            for (int i = 0; i < x.length; i++) {
                if (!taken[i] && (b < 0 || x[i] > x[b])) b = i;
            }
            taken[b] = true;
            best[n] = b;
        }
        return best;
    }

    @Override
    public boolean completed() {
        if (finished == null) return false;
        for (Map<Key, Double> f : finished) if (f.size() < maxCandidates) return false;
        return true;
    }

    @Override
    public List<List<Candidate>> finish(Hypotheses rows) {
        List<List<Candidate>> out = new ArrayList<>();
        int windows = rows.rows() / beam;
        for (int w = 0; w < windows; w++) {
            LinkedHashMap<Key, Double> done = finished == null ? new LinkedHashMap<>() : finished.get(w);
            if (done.size() < beam) {
                // Not enough finished: add the live beams, best first, closed with end-of-text.
                Integer[] order = new Integer[beam];
                for (int j = 0; j < beam; j++) order[j] = w * beam + j;
                Arrays.sort(order, Comparator.comparingDouble((Integer r) -> rows.logprob[r]).reversed());
                for (int r : order) {
                    done.putIfAbsent(new Key(Hypotheses.append(rows.tokens[r], eot)), rows.logprob[r]);
                    if (done.size() >= beam) break;
                }
            }
            List<Candidate> candidates = new ArrayList<>();
            done.forEach((k, v) -> candidates.add(new Candidate(k.tokens(), v)));
            out.add(candidates);
        }
        return out;
    }
}
