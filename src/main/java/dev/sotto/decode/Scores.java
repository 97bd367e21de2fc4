package dev.sotto.decode;

/** Arithmetic on rows of logits shared by the searches: argmax, log-softmax, log-add, top k. */
final class Scores {
    private Scores() {
    }

    /** The index in [from, to) of the largest value (the first of equals), counted from {@code from}. */
    static int argmax(float[] v, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (v[i] > v[best]) best = i;
        }
        return best - from;
    }

    /** log-softmax of v[from, to). */
    static double[] logSoftmax(float[] v, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, v[i]);
        double sum = 0;
        for (int i = from; i < to; i++) sum += Math.exp(v[i] - max);
        double logSum = max + Math.log(sum);
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) out[i - from] = v[i] - logSum;
        return out;
    }

    static double logAdd(double a, double b) {
        double max = Math.max(a, b);
        if (max == Double.NEGATIVE_INFINITY) return max;
        return max + Math.log1p(Math.exp(Math.min(a, b) - max));
    }

    /** The indices of the k largest values, largest first (the lower index first among equals). */
    static int[] topK(double[] v, int k) {
        int n = Math.min(k, v.length);
        int[] best = new int[n];
        int size = 0;
        for (int i = 0; i < v.length; i++) {
            if (size == n && v[i] <= v[best[n - 1]]) continue;
            int j = Math.min(size, n - 1);
            while (j > 0 && v[best[j - 1]] < v[i]) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = i;
            if (size < n) size++;
        }
        return best;
    }
}
