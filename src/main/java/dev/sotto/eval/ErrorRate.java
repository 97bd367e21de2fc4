package dev.sotto.eval;

/**
 * Edit counts of an alignment (or a sum of them): substitutions, deletions (reference tokens missing
 * from the hypothesis), insertions (hypothesis tokens not in the reference) and hits. The reference has
 * {@code S + D + H} tokens, the hypothesis {@code S + I + H}.
 */
record ErrorRate(int substitutions, int deletions, int insertions, int hits) {

    public static final ErrorRate NONE = new ErrorRate(0, 0, 0, 0);

    public ErrorRate {
        if (substitutions < 0 || deletions < 0 || insertions < 0 || hits < 0) {
            throw new IllegalArgumentException("negative count in " + substitutions + "/" + deletions + "/"
                    + insertions + "/" + hits);
        }
    }

    /** The sum of several counts: a corpus rate is total errors over total reference length. */
    public static ErrorRate sum(Iterable<ErrorRate> parts) {
        ErrorRate total = NONE;
        for (ErrorRate p : parts) {
            total = total.plus(p);
        }
        return total;
    }

    public ErrorRate plus(ErrorRate o) {
        return new ErrorRate(substitutions + o.substitutions, deletions + o.deletions,
                insertions + o.insertions, hits + o.hits);
    }

    public int errors() {
        return substitutions + deletions + insertions;
    }

    public int referenceLength() {
        return substitutions + deletions + hits;
    }

    public int hypothesisLength() {
        return substitutions + insertions + hits;
    }

    /**
     * Errors over reference length, as a fraction (it can exceed 1 with insertions). 0 when both sides
     * are empty; NaN, meaning undefined, when the reference is empty but the hypothesis is not.
     */
    public double rate() {
        int n = referenceLength();
        if (n == 0) {
            return errors() == 0 ? 0.0 : Double.NaN;
        }
        return errors() / (double) n;
    }
}
