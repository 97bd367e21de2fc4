package dev.sotto.whisper;

/**
 * One Whisper export as the decoding code sees it: an encoder that turns 30 s mel windows
 * into whatever the decoder attends to, and decoder sessions that take a batch of token
 * rows and return next-token logits, keeping their own caches. The two ONNX layouts
 * ({@link SherpaWhisperModel}, {@link HfWhisperModel}) implement it; nothing above this
 * interface knows which one runs.
 */
interface WhisperModel extends AutoCloseable {
    /** Mel bins the encoder expects (80, or 128 for large-v3 and turbo). */
    int nMels();

    /** Logits per step (51864, 51865 or 51866). */
    int vocabSize();

    /** The decoder's context: at most this many tokens (prompt + output) per row. */
    int textContext();

    /** Encodes {@code batch} windows of {@code [nMels][3000]} frames each, laid out one after another. */
    Audio encode(float[] mel, int batch);

    /**
     * A decoder session over {@code audio}: row {@code r} of every step attends to window
     * {@code audioOfRow[r]}.
     */
    Decoder decoder(Audio audio, int[] audioOfRow);

    /**
     * Whether the export outputs cross-attention weights and names its alignment heads, so
     * words can be timed by {@link CrossAttentionAlignment}.
     */
    default boolean aligns() {
        return false;
    }

    /**
     * The cross-attention of the alignment heads when the decoder reads {@code tokens} in one
     * call over window {@code index} of {@code audio}: {@code [head][token][frame]}.
     */
    default float[][][] alignmentAttention(Audio audio, int index, int[] tokens) {
        throw new UnsupportedOperationException("this Whisper export outputs no cross-attention weights");
    }

    @Override
    void close();

    /** Encoder output for a batch of windows; owned by the caller. */
    interface Audio extends AutoCloseable {
        int batch();

        @Override
        void close();
    }

    /** The decoding state of a batch of token rows (self-attention caches, offsets). */
    interface Decoder extends AutoCloseable {
        /**
         * Feeds the next tokens of every row (the same count for each) and returns the logits
         * at every fed position.
         */
        Logits step(int[][] tokens);

        /** Beam search moved rows: new row r continues old row {@code source[r]}. */
        void reorder(int[] source);

        @Override
        void close();
    }

    /** Logits of one step: {@code [rows][positions][vocab]}. */
    record Logits(float[] values, int rows, int positions, int vocab) {
        /** A copy of the logits of one row at one fed position. */
        float[] at(int row, int position) {
            float[] out = new float[vocab];
            System.arraycopy(values, (row * positions + position) * vocab, out, 0, vocab);
            return out;
        }
    }
}
