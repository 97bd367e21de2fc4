package dev.sotto.engine;

/**
 * The per-stream state of an {@link Engine}: audio in, a {@link Result} out. One thread
 * may feed audio ({@link #acceptWaveform}, {@link #inputFinished}) while another decodes
 * ({@link #isReady}, {@link Engine#decode}, {@link #result}); implementations guard what
 * the two share.
 */
public interface EngineStream {
    /** 16 kHz mono samples. */
    void acceptWaveform(float[] samples, int offset, int length);

    void inputFinished();

    /** Whether one more {@link Engine#decode} step can run now. */
    boolean isReady();

    /** Input finished and everything decoded. */
    boolean isDone();

    Result result();

    /** Seconds of audio accepted so far. */
    double secondsAccepted();

    /** Seconds of audio the model has decoded so far (for progress). */
    double secondsDecoded();

    /** Releases native memory the stream holds (encoder caches). */
    default void close() {
    }
}
