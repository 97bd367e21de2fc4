package dev.sotto;

/**
 * An error the user can act on: bad input, a model directory that does not match its
 * expected layout, a device that cannot load. The message says which file or setting is
 * wrong, what is wrong with it and, where possible, what to do; the CLI prints it as is,
 * without a stack trace.
 */
public class SottoException extends RuntimeException {
    public SottoException(String message) {
        super(message);
    }

    public SottoException(String message, Throwable cause) {
        super(message, cause);
    }
}
