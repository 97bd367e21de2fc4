package dev.sotto.whisper;

import java.util.Arrays;

/**
 * Token times from cross-attention, as openai/whisper's {@code timing.find_alignment} finds
 * them. The decoder is run once over {@code sot_sequence, <|notimestamps|>, text tokens,
 * <|endoftext|>}; the attention of the alignment heads, {@code [head][token][frame]} over
 * the window's 20 ms audio frames, is cut to the frames that hold audio and renormalised
 * per token (openai takes the softmax of the logits over those frames: the same thing),
 * standardised over tokens for each frame, median-filtered along time (width 7, reflected
 * edges), averaged over heads, and the rows from {@code <|notimestamps|>} to the last text
 * token are aligned to the frames by dynamic time warping on the negated matrix. Row k
 * predicts text token k, so token k starts at the first frame of row k and ends where row
 * k + 1 starts (the last, where the row predicting the end of text starts).
 */
final class CrossAttentionAlignment {
    static final int MEDIAN_FILTER_WIDTH = 7;
    static final double FRAME_SECONDS = 0.02;

    private CrossAttentionAlignment() {
    }

    /**
     * Start times in seconds from the window's start of rows {@code firstRow .. tokens - 2}
     * (one more than there are text tokens). {@code weights[h][t][f]}: attention of alignment
     * head h at token t; {@code frames}: audio frames holding the window's audio.
     */
    static double[] rowStarts(float[][][] weights, int firstRow, int frames) {
        int heads = weights.length;
        int tokens = weights[0].length;
        int m = Math.max(1, Math.min(frames, weights[0][0].length));
        double[][] matrix = new double[tokens][m];
        for (float[][] head : weights) {
            double[][] w = new double[tokens][m];
            for (int t = 0; t < tokens; t++) {
                double sum = 0;
                for (int f = 0; f < m; f++) sum += head[t][f];
                for (int f = 0; f < m; f++) w[t][f] = sum > 0 ? head[t][f] / sum : 1.0 / m;
            }
            standardizeOverTokens(w);
            for (int t = 0; t < tokens; t++) {
                double[] filtered = medianFilter(w[t], MEDIAN_FILTER_WIDTH);
                for (int f = 0; f < m; f++) matrix[t][f] += filtered[f] / heads;
            }
        }
        int rows = tokens - 1 - firstRow;
        double[][] cost = new double[rows][m];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < m; f++) cost[r][f] = -matrix[firstRow + r][f];
        }
        int[] firstFrame = dtwRowStarts(cost);
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) out[r] = firstFrame[r] * FRAME_SECONDS;
        return out;
    }

    /** (x - mean) / std over tokens at each frame (population std; a frame where all tokens agree becomes 0). */
    static void standardizeOverTokens(double[][] w) {
        int tokens = w.length;
        for (int f = 0; f < w[0].length; f++) {
            double mean = 0;
            for (double[] row : w) mean += row[f];
            mean /= tokens;
            double var = 0;
            for (double[] row : w) var += (row[f] - mean) * (row[f] - mean);
            double std = Math.sqrt(var / tokens);
            for (double[] row : w) row[f] = std > 1e-12 ? (row[f] - mean) / std : 0;
        }
    }

    /** openai's median_filter along the last axis: reflect padding; too short an input is returned as is. */
    static double[] medianFilter(double[] x, int width) {
        int pad = width / 2;
        if (x.length <= pad) return x.clone();
        double[] padded = new double[x.length + 2 * pad];
        for (int i = 0; i < padded.length; i++) {
            int j = i - pad;
            if (j < 0) j = -j;
            if (j >= x.length) j = 2 * (x.length - 1) - j;
            padded[i] = x[j];
        }
        double[] out = new double[x.length];
        double[] window = new double[width];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(padded, i, window, 0, width);
            Arrays.sort(window);
            out[i] = window[pad];
        }
        return out;
    }

    /**
     * openai's {@code dtw_cpu} and backtrace over {@code cost[row][frame]}: the path from the
     * first cell to the last; returns, per row, the first frame the path reaches it at.
     * Ties go to the diagonal only when it is strictly best, then the vertical step, else
     * the horizontal one, as there.
     */
    static int[] dtwRowStarts(double[][] x) {
        int n = x.length;
        int m = x[0].length;
        double[][] cost = new double[n + 1][m + 1];
        byte[][] trace = new byte[n + 1][m + 1];
        for (double[] row : cost) Arrays.fill(row, Double.POSITIVE_INFINITY);
        cost[0][0] = 0;
        for (int j = 1; j <= m; j++) {
            for (int i = 1; i <= n; i++) {
                double c0 = cost[i - 1][j - 1];
                double c1 = cost[i - 1][j];
                double c2 = cost[i][j - 1];
                double c;
                byte t;
                if (c0 < c1 && c0 < c2) {
                    c = c0;
                    t = 0;
                } else if (c1 < c0 && c1 < c2) {
                    c = c1;
                    t = 1;
                } else {
                    c = c2;
                    t = 2;
                }
                cost[i][j] = x[i - 1][j - 1] + c;
                trace[i][j] = t;
            }
        }
        for (int j = 0; j <= m; j++) trace[0][j] = 2;
        for (int i = 0; i <= n; i++) trace[i][0] = 1;
        int[] first = new int[n];
        Arrays.fill(first, -1);
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0) first[i - 1] = j - 1;   // walking back, the last write is the earliest frame
            byte t = trace[i][j];
            if (t == 0) {
                i--;
                j--;
            } else if (t == 1) {
                i--;
            } else {
                j--;
            }
        }
        for (int r = 1; r < n; r++) if (first[r] < 0) first[r] = first[r - 1];
        if (first[0] < 0) first[0] = 0;
        return first;
    }
}
