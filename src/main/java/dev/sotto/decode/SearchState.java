package dev.sotto.decode;

import java.util.List;

/** One stream's progress through a {@link TransducerSearch}. */
public interface SearchState {
    /** The best hypothesis's tokens since the stream started. */
    List<Emission> tokens();

    /** Encoder frames since the best hypothesis last emitted a token. */
    int trailingBlanks();

    /** At an endpoint: keep only the best hypothesis, whose tokens are now final. */
    void commit();

    /** At an endpoint with reset: keep the tokens, restart the prediction network from {@code initial}. */
    void restart(PredictorState initial);

    /**
     * Frames before {@code frame} hold only the silence the engine put before the audio (the
     * Zipformer's left padding): the search may emit nothing there. Searches that never
     * emit on silence without being told may ignore it.
     */
    default void silentUntil(long frame) {
    }
}
