package dev.sotto.eval;

import dev.sotto.SottoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimum-edit alignment of a reference and a hypothesis token sequence (words or characters): the
 * steps in order, each a hit, a substitution, a deletion or an insertion.
 *
 * <p>Levenshtein distance with unit costs, so {@link ErrorRate#errors()} is always the minimum number
 * of edits. Several alignments often reach that minimum; which one is reported is fixed as follows:
 * <ol>
 *   <li>among minimum-edit alignments, the one with the fewest substitutions, that is the most hits
 *       (ref {@code a b}, hyp {@code b c}: delete {@code a}, hit {@code b}, insert {@code c}, rather
 *       than two substitutions). The sclite tool makes the same choice through its weights;</li>
 *   <li>if still tied, walking back from the ends of both sequences, a diagonal step (hit or
 *       substitution) is preferred to a deletion, and a deletion to an insertion, so unmatched tokens
 *       are reported as early in the utterance as possible (ref {@code a a}, hyp {@code a}: the first
 *       {@code a} is the deletion).</li>
 * </ol>
 * The total error count, and so WER and CER, never depends on these choices; only the split between
 * S, D and I and the positions shown do.
 */
record Alignment(List<Step> steps) {

    /** Beyond this many DP cells (reference length + 1 times hypothesis length + 1) we refuse. */
    static final long MAX_CELLS = 200_000_000L;

    private static final byte DIAGONAL = 0;
    private static final byte DELETION = 1;
    private static final byte INSERTION = 2;

    public enum Op { HIT, SUBSTITUTION, DELETION, INSERTION }

    /** One step: {@code ref} is null for an insertion, {@code hyp} null for a deletion. */
    public record Step(Op op, String ref, String hyp) {
    }

    public Alignment {
        steps = List.copyOf(steps);
    }

    public static Alignment of(List<String> reference, List<String> hypothesis) {
        int n = reference.size();
        int m = hypothesis.size();
        long cells = (long) (n + 1) * (m + 1);
        if (cells > MAX_CELLS) {
            throw new SottoException("cannot align " + n + " reference tokens with " + m
                    + " hypothesis tokens: too long for one alignment; split the audio into shorter utterances");
        }
        // One cost orders alignments by (errors, substitutions): an edit costs k, a substitution one more,
        // and k exceeds any possible substitution count, so fewer errors always wins.
        long k = Math.min(n, m) + 1L;
        byte[] back = new byte[(int) cells];
        long[] prev = new long[m + 1];
        long[] cur = new long[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j * k;
            back[j] = INSERTION;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i * k;
            back[i * (m + 1)] = DELETION;
            String r = reference.get(i - 1);
            for (int j = 1; j <= m; j++) {
                long best = prev[j - 1] + (r.equals(hypothesis.get(j - 1)) ? 0 : k + 1);
                byte move = DIAGONAL;
                long del = prev[j] + k;
                if (del < best) {
                    best = del;
                    move = DELETION;
                }
                long ins = cur[j - 1] + k;
                if (ins < best) {
                    best = ins;
                    move = INSERTION;
                }
                cur[j] = best;
                back[i * (m + 1) + j] = move;
            }
            long[] t = prev;
            prev = cur;
            cur = t;
        }
        List<Step> steps = new ArrayList<>(Math.max(n, m));
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            byte move = back[i * (m + 1) + j];
            if (i > 0 && j > 0 && move == DIAGONAL) {
                String r = reference.get(--i);
                String h = hypothesis.get(--j);
                steps.add(new Step(r.equals(h) ? Op.HIT : Op.SUBSTITUTION, r, h));
            } else if (i > 0 && (move == DELETION || j == 0)) {
                steps.add(new Step(Op.DELETION, reference.get(--i), null));
            } else {
                steps.add(new Step(Op.INSERTION, null, hypothesis.get(--j)));
            }
        }
        Collections.reverse(steps);
        return new Alignment(steps);
    }

    /** The counts of each kind of step. */
    public ErrorRate counts() {
        int s = 0;
        int d = 0;
        int ins = 0;
        int h = 0;
        for (Step step : steps) {
            switch (step.op()) {
                case HIT -> h++;
                case SUBSTITUTION -> s++;
                case DELETION -> d++;
                case INSERTION -> ins++;
            }
        }
        return new ErrorRate(s, d, ins, h);
    }
}
