package dev.sotto.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * Audio a request brought (an uploaded file or a fetched URL), written to the spool
 * directory under a random name that keeps the original extension (FFmpeg uses it as a
 * hint). Closing it deletes the file, unless a job took it over with {@link #release()}.
 */
public final class Upload implements AutoCloseable {
    private final Path file;
    private final String fileName;
    private final long size;
    private boolean released;

    public Upload(Path file, String fileName, long size) {
        this.file = file;
        this.fileName = fileName;
        this.size = size;
    }

    /** Copies {@code in} into a new spool file, at most {@code maxBytes} (a 413 beyond). */
    public static Upload spool(InputStream in, String fileName, Path spoolDir, long maxBytes) {
        Path file = newSpoolFile(spoolDir, fileName);
        long n = 0;
        try (in; var out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int r; (r = in.read(buffer)) > 0; ) {
                n += r;
                if (n > maxBytes) throw tooLarge(maxBytes);
                out.write(buffer, 0, r);
            }
        } catch (IOException e) {
            delete(file);
            throw new ServeException(400, "upload_failed", "file", "the upload could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
        return new Upload(file, fileName, n);
    }

    public static ServeException tooLarge(long maxBytes) {
        return new ServeException(413, "file_too_large", "file", "The file is larger than this server's limit of "
                + (maxBytes >> 20) + " MB (sotto serve --max-upload-mb)");
    }

    /** A fresh file name in the spool directory, keeping {@code fileName}'s extension if it is a plain one. */
    public static Path newSpoolFile(Path spoolDir, String fileName) {
        String ext = "";
        if (fileName != null) {
            int dot = fileName.lastIndexOf('.');
            String e = dot >= 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
            if (e.matches("[a-z0-9]{1,5}")) ext = "." + e;
        }
        try {
            Files.createDirectories(spoolDir);
        } catch (IOException e) {
            throw new ServeException(500, "spool_unavailable", null, "cannot create the spool directory " + spoolDir
                    + ": " + e.getMessage());
        }
        return spoolDir.resolve(UUID.randomUUID() + ext);
    }

    public Path file() {
        return file;
    }

    public String fileName() {
        return fileName;
    }

    public long size() {
        return size;
    }

    /** A job owns the file now: closing this upload leaves it alone. */
    public void release() {
        released = true;
    }

    @Override
    public void close() {
        if (!released) delete(file);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the spool is swept at start-up
        }
    }
}
