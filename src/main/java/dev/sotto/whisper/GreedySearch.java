package dev.sotto.whisper;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Greedy decoding at temperature 0, sampling from softmax(logits / T) above it (openai's
 * {@code GreedyDecoder}). A finished row keeps receiving end-of-text. Each row has its
 * own seeded generator, so results do not depend on how windows are batched.
 */
final class GreedySearch implements TokenSearch {
    private final double temperature;
    private final int eot;
    private final int group;
    private final SplittableRandom[] random;

    /** @param seeds one seed per row */
    GreedySearch(double temperature, int eot, int group, long[] seeds) {
        this.temperature = temperature;
        this.eot = eot;
        this.group = group;
        this.random = new SplittableRandom[seeds.length];
        for (int i = 0; i < seeds.length; i++) random[i] = new SplittableRandom(seeds[i]);
    }

    private boolean completed;

    @Override
    public int[] update(Hypotheses rows, float[][] logits) {
        int[] source = new int[rows.rows()];
        completed = true;
        for (int r = 0; r < rows.rows(); r++) {
            source[r] = r;
            int next = temperature == 0 ? Softmax.argmax(logits[r]) : sample(logits[r], random[r]);
            boolean finished = rows.last(r) == eot;
            if (!finished) rows.logprob[r] += Softmax.logProb(logits[r], next);
            if (finished) next = eot;
            rows.tokens[r] = Hypotheses.append(rows.tokens[r], next);
            completed &= next == eot;
        }
        return source;
    }

    private int sample(float[] logits, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v / temperature);
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(logits[i] / temperature - max);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            last = i;
            u -= p[i];
            if (u < 0) return i;
        }
        return last;
    }

    @Override
    public boolean completed() {
        return completed;
    }

    @Override
    public List<List<Candidate>> finish(Hypotheses rows) {
        List<List<Candidate>> out = new ArrayList<>();
        for (int w = 0; w < rows.rows() / group; w++) {
            List<Candidate> candidates = new ArrayList<>();
            for (int r = w * group; r < (w + 1) * group; r++) {
                candidates.add(new Candidate(Hypotheses.append(rows.tokens[r], eot), rows.logprob[r]));
            }
            out.add(candidates);
        }
        return out;
    }
}
