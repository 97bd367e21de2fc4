package dev.sotto.diarize;

import java.util.Arrays;

/**
 * Agglomerative clustering of embeddings by cosine distance, average linkage: every vector
 * starts as its own cluster and the two closest clusters are merged until the closest pair
 * is farther apart than the threshold, or, when the number of speakers is given, until that
 * many clusters remain; the count is kept within [min, max] either way. The distance matrix
 * is updated in place (Lance–Williams), each row remembering its nearest neighbour, so a
 * merge costs O(n) in the usual case: an hour of speech (about 4800 windows) takes a
 * 90 MB matrix and seconds.
 */
public final class Clustering {
    private Clustering() {
    }

    /**
     * Cluster labels 0..k-1 for {@code vectors}, numbered in order of first appearance.
     *
     * @param exact the number of clusters wanted, or 0 to stop at {@code threshold}
     */
    public static int[] cluster(float[][] vectors, double threshold, int exact, int min, int max) {
        int n = vectors.length;
        int[] labels = new int[n];
        if (n <= 1) return labels;
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) unit[i] = normalised(vectors[i]);
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float dist = 1 - dot(unit[i], unit[j]);
                d[i * n + j] = dist;
                d[j * n + i] = dist;
            }
        }
        int[] size = new int[n];
        Arrays.fill(size, 1);
        boolean[] alive = new boolean[n];
        Arrays.fill(alive, true);
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        int[] nearest = new int[n];
        for (int i = 0; i < n; i++) nearest[i] = nearestOf(i, d, alive, n);

        int clusters = n;
        int lower = Math.max(1, exact > 0 ? exact : min);
        int upper = exact > 0 ? exact : max > 0 ? max : n;
        while (clusters > lower) {
            int a = -1;
            for (int i = 0; i < n; i++) {
                if (alive[i] && nearest[i] >= 0 && (a < 0 || d[i * n + nearest[i]] < d[a * n + nearest[a]])) a = i;
            }
            if (a < 0) break;
            int b = nearest[a];
            if (clusters <= upper && d[a * n + b] > threshold) break;
            // Merge b into a: the average distance of the union to every other cluster.
            for (int k = 0; k < n; k++) {
                if (!alive[k] || k == a || k == b) continue;
                float merged = (size[a] * d[a * n + k] + size[b] * d[b * n + k]) / (size[a] + size[b]);
                d[a * n + k] = merged;
                d[k * n + a] = merged;
            }
            size[a] += size[b];
            alive[b] = false;
            parent[b] = a;
            clusters--;
            for (int i = 0; i < n; i++) {
                if (!alive[i]) continue;
                if (i == a || nearest[i] == a || nearest[i] == b) {
                    nearest[i] = nearestOf(i, d, alive, n);
                } else if (d[i * n + a] < d[i * n + nearest[i]]) {
                    nearest[i] = a;
                }
            }
        }
        int[] id = new int[n];
        Arrays.fill(id, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = i;
            while (parent[root] != root) root = parent[root];
            if (id[root] < 0) id[root] = next++;
            labels[i] = id[root];
        }
        return labels;
    }

    private static int nearestOf(int i, float[] d, boolean[] alive, int n) {
        int best = -1;
        for (int j = 0; j < n; j++) {
            if (j != i && alive[j] && (best < 0 || d[i * n + j] < d[i * n + best])) best = j;
        }
        return best;
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        if (norm == 0) return out;
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
        return out;
    }

    static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return (float) s;
    }

    /** 1 - cosine similarity. */
    public static double cosineDistance(float[] a, float[] b) {
        return 1 - dot(normalised(a), normalised(b));
    }
}
