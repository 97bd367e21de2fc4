package dev.sotto.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import dev.sotto.server.core.UrlFetcher.Fetched;

/** Copies a body into a new file of the spool directory, within the policy's size limit. */
final class Spool {
    private Spool() {
    }

    /**
     * Copies {@code in} into a new file in {@code spoolDir}, deleting it again if anything fails.
     * {@code expired} tells a stream closed by the deadline's watchdog from one that ended.
     */
    static Fetched copy(InputStream in, Path spoolDir, String fileName, String where, UrlPolicy policy,
                        BooleanSupplier expired) {
        Path file;
        try {
            file = Files.createTempFile(spoolDir, "fetch-", suffix(fileName));
        } catch (IOException e) {
            throw FetchMessages.spoolFailed(where, spoolDir, e);
        }
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            while (true) {
                int n = read(in, buffer, size, where, policy, expired);
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > policy.maxBytes()) {
                    throw FetchMessages.tooLarge(where, -1, policy.maxBytes());
                }
                out.write(buffer, 0, n);
            }
            done = true;
            return new Fetched(file, fileName, size);
        } catch (IOException e) { // writing: the server's disk, not the URL
            throw FetchMessages.spoolFailed(where, spoolDir, e);
        } finally {
            if (!done) {
                delete(file);
            }
        }
    }

    /** The next piece of the body, -1 at its end; reading errors are the URL's fault. */
    private static int read(InputStream in, byte[] buffer, long size, String where, UrlPolicy policy,
                            BooleanSupplier expired) {
        try {
            int n = in.read(buffer);
            if (expired.getAsBoolean()) { // a stream closed by the watchdog may look like one that ended
                throw FetchMessages.timeout(where, policy.timeout(), size);
            }
            return n;
        } catch (IOException e) {
            throw expired.getAsBoolean() ? FetchMessages.timeout(where, policy.timeout(), size)
                    : FetchMessages.readFailed(where, size, e);
        }
    }

    /** The name's extension for the spooled file: FFmpeg uses it when the content is ambiguous. */
    private static String suffix(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1);
        return ext.matches("[A-Za-z0-9]{1,8}") ? "." + ext : "";
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit(); // the last resort
        }
    }
}
