package dev.sotto.whisper;

import java.util.List;

/**
 * Decides which windows of a stream to decode and turns their results into segments:
 * {@link LongFormTranscriber} (sequential windows, seeking by timestamps) or
 * {@link VadTranscriber} (speech windows found by Silero VAD, decoded as a batch).
 */
interface WindowPlanner {
    /** New 16 kHz samples. */
    void accept(float[] samples, int offset, int length);

    /** No more samples. */
    void finish();

    /** Whether {@link #take} has a window now. */
    boolean ready();

    /** Windows that can be decoded now (at most {@code max}); they are pending until completed. */
    List<Window> take(int max);

    /** The result of a window handed out by {@link #take}; segments go to {@code transcript}. */
    void complete(Window window, DecodeResult result, Transcript transcript);

    /** Input finished and every window decoded. */
    boolean done();

    /** Samples held in memory (bounded: about one window). */
    long bufferedSamples();

    /** Seconds of the stream decoded so far. */
    double secondsDecoded();
}
