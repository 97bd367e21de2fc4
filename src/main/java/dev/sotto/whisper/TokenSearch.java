package dev.sotto.whisper;

import java.util.List;

/**
 * How the next token of each row is chosen (openai/whisper's {@code TokenDecoder}): greedy
 * or sampling ({@link GreedySearch}), or beam search ({@link BeamSearch}). Rows are grouped
 * by window: rows {@code [w * group, (w + 1) * group)} belong to window {@code w}.
 */
interface TokenSearch {
    /**
     * Appends one token to every row of {@code rows} from its filtered {@code logits}.
     *
     * @return for each new row, the old row it continues (beam search reorders rows)
     */
    int[] update(Hypotheses rows, float[][] logits);

    /** Every row (or every window's beam) has finished. */
    boolean completed();

    /** The final candidates of each window, each ending with end-of-text. */
    List<List<Candidate>> finish(Hypotheses rows);

    /** A finished token sequence (prompt included) and its summed log-probability. */
    record Candidate(int[] tokens, double logprob) {
    }

    /**
     * openai's {@code MaximumLikelihoodRanker}: the best candidate by log-probability divided
     * by its length (tokens after the prompt, end-of-text excluded), or by the Google NMT
     * length penalty when one is given.
     */
    static int rank(List<Candidate> candidates, int sampleBegin, int eot, Double lengthPenalty) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            int length = sampledLength(candidates.get(i).tokens(), sampleBegin, eot);
            double penalty = lengthPenalty == null ? length : Math.pow((5.0 + length) / 6.0, lengthPenalty);
            double score = candidates.get(i).logprob() / penalty;
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    static int sampledLength(int[] tokens, int sampleBegin, int eot) {
        int end = sampleBegin;
        while (end < tokens.length && tokens[end] != eot) end++;
        return end - sampleBegin;
    }
}
