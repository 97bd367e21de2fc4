package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns file-system failures in the cache into messages a user can act on. */
final class CacheErrors {
    private CacheErrors() {
    }

    static SottoException of(IOException e, Path home, String doing) {
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT)
                + (e instanceof FileSystemException f && f.getReason() != null ? " " + f.getReason().toLowerCase(Locale.ROOT) : "");
        if (text.contains("no space left") || text.contains("disk quota")) {
            return diskFull(home, doing, e);
        }
        if (e instanceof AccessDeniedException || text.contains("read-only file system") || text.contains("permission denied")) {
            return new SottoException(home + " is not writable (" + reason(e) + ") while " + doing
                    + ": nothing was installed. Make it writable, or set SOTTO_HOME to a directory you can write", e);
        }
        return new SottoException(home + ": " + doing + " failed: " + reason(e) + "; nothing was installed", e);
    }

    static SottoException diskFull(Path home, String doing, Exception cause) {
        return new SottoException("the disk holding " + home + " is full while " + doing + ": nothing was installed "
                + "(partial downloads are kept for resuming). Free some space, or set SOTTO_HOME to a larger disk", cause);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + (f.getFile() != null ? ": " + f.getFile() : "");
        }
        return String.valueOf(e.getMessage());
    }
}
