package dev.sotto.engine;

import java.util.List;

/**
 * Decides, as a stream's audio arrives, where an input too long for one encoder call is
 * cut into pieces of at most a given length (an offline encoder attends to all of its
 * input, so its memory grows with the input's length). Pieces need not cover the stream:
 * a cutter that knows where the speech is leaves out the silence between.
 */
public interface AudioCutter {
    /** The stream's samples, from its first one, in order. */
    void accept(float[] samples, int offset, int length);

    /** No more samples: the last pieces become final. */
    void finish();

    /** The pieces that are final, in order; each is returned once. */
    List<Span> poll();

    /** The earliest sample a piece not yet returned can start at: the audio before it is no longer needed. */
    long keepFrom();

    /** Makes the cutter of one stream. */
    interface Factory {
        /** Pieces of at most {@code maxSamples}; cuts between pieces fall on multiples of {@code gridSamples}. */
        AudioCutter create(long maxSamples, int gridSamples);
    }
}
