package dev.sotto.models;

import dev.sotto.SottoException;

/** An archive or bundle that tries to write outside its directory, holds links or special files, or expands without bound. */
final class UnsafeArchive extends SottoException {
    UnsafeArchive(String message) {
        super(message);
    }
}
