package dev.sotto.video;

import dev.sotto.SottoException;

/**
 * The model server failed: it could not be reached, answered with an error, answered with
 * something that is not a chat completion, or did not answer in time ({@link #timedOut()}).
 */
public final class BackendException extends SottoException {
    private final boolean timedOut;

    public BackendException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
