package dev.sotto.whisper;

/** Log-softmax helpers over float logits (in double, skipping -infinity). */
final class Softmax {
    private Softmax() {
    }

    static double logSumExp(float[] x, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, x[i]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (x[i] != Float.NEGATIVE_INFINITY) sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
    }

    /** log p(token) under softmax(x). */
    static double logProb(float[] x, int token) {
        return x[token] - logSumExp(x, 0, x.length);
    }

    /** Index of the largest value; the lowest index wins ties. */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
