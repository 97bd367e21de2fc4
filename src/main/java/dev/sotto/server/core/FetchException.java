package dev.sotto.server.core;

import dev.sotto.SottoException;

/**
 * A URL that could not be fetched. The message names the URL, says what went wrong and what
 * to do; {@link #status()} is the HTTP status the server should answer with: 400 for a URL the
 * client should not have sent or that does not work, 408 when it took too long, 413 when the
 * body is too large, 500 when the server itself failed (e.g. its disk is full).
 */
public class FetchException extends SottoException {
    private final int status;

    public FetchException(int status, String message) {
        super(message);
        this.status = status;
    }

    public FetchException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status for the server's answer. */
    public int status() {
        return status;
    }
}
