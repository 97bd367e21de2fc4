package dev.sotto.whisper;

import java.util.Arrays;

/** The token rows being decoded: each row's tokens (prompt first) and summed log-probability. */
final class Hypotheses {
    final int[][] tokens;
    final double[] logprob;
    final int sampleBegin;

    Hypotheses(int[][] initial, int sampleBegin) {
        this.tokens = new int[initial.length][];
        for (int i = 0; i < initial.length; i++) tokens[i] = initial[i].clone();
        this.logprob = new double[initial.length];
        this.sampleBegin = sampleBegin;
    }

    int rows() {
        return tokens.length;
    }

    int last(int row) {
        return tokens[row][tokens[row].length - 1];
    }

    int length() {
        return tokens[0].length;
    }

    /** The tokens sampled so far (after the prompt) of a row. */
    int[] sampled(int row) {
        return Arrays.copyOfRange(tokens[row], sampleBegin, tokens[row].length);
    }

    static int[] append(int[] seq, int token) {
        int[] out = Arrays.copyOf(seq, seq.length + 1);
        out[seq.length] = token;
        return out;
    }
}
