package dev.sotto.engine;

import java.util.List;

/**
 * A loaded model family as a {@link Recognizer} drives it: it creates per-stream state
 * and advances a batch of ready streams by one step (one chunk for streaming models, one
 * window for Whisper). Implemented by the nemo, zipformer and whisper packages; not
 * meant to be used directly by applications.
 */
public interface Engine extends AutoCloseable {
    ModelInfo info();

    /** A new stream with per-stream options (language, task, prompt); null fields mean "as configured". */
    EngineStream newStream(StreamOptions options);

    /** Advances every stream by one step; each one is {@link EngineStream#isReady() ready}. */
    void decode(List<EngineStream> streams);

    @Override
    void close();
}
