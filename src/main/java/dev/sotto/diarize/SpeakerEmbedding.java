package dev.sotto.diarize;

/**
 * Turns a stretch of 16 kHz mono audio into a vector whose cosine distance to another
 * stretch's vector is small when the same person speaks in both.
 */
public interface SpeakerEmbedding extends AutoCloseable {
    /** What it is, for logs and outputs: "built-in", or the model's framework and file. */
    String name();

    /** The embedding of {@code samples[from, to)}. */
    float[] embed(float[] samples, int from, int to);

    /**
     * True when the vectors' dimensions have unrelated scales (signal statistics), so the
     * windows of one file are standardised dimension by dimension before clustering.
     */
    default boolean standardise() {
        return false;
    }

    /** The cosine distance below which two clusters are taken as one speaker by default. */
    double defaultThreshold();

    @Override
    void close();
}
