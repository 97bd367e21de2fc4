package dev.sotto.models;

import dev.sotto.SottoException;

/** The network or the server cannot be reached at all (no route, no DNS, refused): a reason to explain the offline routes. */
final class NetworkUnavailable extends SottoException {
    NetworkUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
