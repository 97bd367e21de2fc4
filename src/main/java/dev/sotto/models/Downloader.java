package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one URL to a file, resumably: bytes go to {@code FILE.part}, which an interrupted
 * run leaves behind and the next one continues with an HTTP range request (guarded by
 * {@code If-Range}, so a file that changed on the server is fetched whole again). A connection
 * that delivers nothing for the stall timeout is dropped and retried; the file appears under
 * its name only once complete. Checksums are the caller's business.
 */
final class Downloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int MAX_REDIRECTS = 10;
    private final ModelSettings settings;
    private final ModelCache cache;
    private final Reporter reporter;

    Downloader(ModelSettings settings, ModelCache cache, Reporter reporter) {
        this.settings = settings;
        this.cache = cache;
        this.reporter = reporter;
    }

    /** Fetches {@code uri} into {@code target} unless it is already there; {@code expectedSize} -1 when unknown. */
    void download(URI uri, Path target, long expectedSize, String label) {
        if (Files.isRegularFile(target)) return;
        Path part = partOf(target);
        IOException last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                fetchOnce(uri, part, expectedSize, label);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(metaOf(part));
                return;
            } catch (IOException e) {
                if (isDiskFull(e)) throw CacheErrors.diskFull(cache.home(), "downloading " + uri, e);
                last = e;
                if (attempt < settings.attempts()) {
                    reporter.info(uri + ": " + describe(e) + "; " + resumeNote(part) + "retrying (" + (attempt + 1) + "/"
                            + settings.attempts() + ")");
                    pause();
                }
            }
        }
        throw new SottoException(uri + ": download failed after " + settings.attempts() + " attempt(s): " + describe(last)
                + ". " + (size(part) > 0 ? "The " + Bytes.human(size(part)) + " received are kept in " + part
                + ": run the same command again to resume." : "Run the same command again to retry."), last);
    }

    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static Path metaOf(Path part) {
        return part.resolveSibling(part.getFileName() + ".json");
    }

    /** What the server said about the partial file, to resume it only if it is still the same file. */
    record PartInfo(String url, String etag, String lastModified) {
    }

    private void fetchOnce(URI uri, Path part, long expectedSize, String label) throws IOException {
        Files.createDirectories(part.getParent());
        if (uri.getScheme().equals("file")) {
            copyLocal(uri, part, label);
            return;
        }
        PartInfo info = readInfo(part);
        long have = info != null && info.url().equals(uri.toString()) ? size(part) : 0;
        if (have > 0 && expectedSize > 0 && have == expectedSize) return;   // complete, the rename was cut
        HttpURLConnection c = connect(uri, have, info);
        int status = c.getResponseCode();
        long total;
        boolean append;
        if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
            long[] range = parseContentRange(c.getHeaderField("Content-Range"));
            if (range[0] != have) throw new IOException("the server resumed at byte " + range[0] + " instead of " + have);
            total = range[1];
            append = true;
        } else if (status == HttpURLConnection.HTTP_OK) {
            if (have > 0) reporter.info(uri + ": the server cannot resume (or the file changed): downloading it whole again");
            total = c.getContentLengthLong();
            append = false;
        } else if (status == 416 && have > 0) {
            c.disconnect();
            Files.deleteIfExists(part);
            throw new IOException("the server refused to resume at byte " + have + " (HTTP 416): starting over");
        } else {
            throw httpError(uri, c, status);
        }
        if (expectedSize > 0 && total > 0 && total != expectedSize) {
            reporter.info(uri + ": the server sends " + Bytes.human(total) + ", the catalogue says " + Bytes.human(expectedSize));
        }
        writeInfo(part, new PartInfo(uri.toString(), c.getHeaderField("ETag"), c.getHeaderField("Last-Modified")));
        long start = append ? have : 0;
        long done = start;
        try (InputStream in = c.getInputStream();
             FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = Channels.newOutputStream(channel);
             Reporter.ByteProgress bar = reporter.progress(label, total)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                done += n;
                bar.update(done);
            }
            channel.force(true);
        } catch (SocketTimeoutException e) {
            throw new IOException("no data for " + settings.stallTimeout().toSeconds() + " s (the server stalled) after "
                    + Bytes.human(size(part)), e);
        }
        if (total > 0 && done != total) {
            throw new IOException("the connection closed after " + Bytes.human(done) + " of " + Bytes.human(total));
        }
    }

    private HttpURLConnection connect(URI uri, long have, PartInfo info) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c;
            try {
                c = (HttpURLConnection) current.toURL().openConnection();
                c.setInstanceFollowRedirects(false);
                int timeout = (int) Math.min(Integer.MAX_VALUE, settings.stallTimeout().toMillis());
                c.setConnectTimeout(Math.min(timeout, 30_000));
                c.setReadTimeout(timeout);
                c.setRequestProperty("User-Agent", "sotto/0.1 (model download)");
                c.setRequestProperty("Accept-Encoding", "identity");
                if (have > 0) {
                    c.setRequestProperty("Range", "bytes=" + have + "-");
                    String validator = info.etag() != null ? info.etag() : info.lastModified();
                    if (validator != null) c.setRequestProperty("If-Range", validator);
                }
                c.connect();
                int status = c.getResponseCode();
                if (status < 300 || status >= 400 || status == 304) return c;
                String location = c.getHeaderField("Location");
                c.disconnect();
                if (location == null) throw new IOException("HTTP " + status + " redirect without a Location");
                URI next = current.resolve(location);
                if (current.getScheme().equals("https") && !next.getScheme().equals("https")) {
                    throw new SottoException(uri + ": redirected from https to " + next.getScheme() + " (" + next + "): refused");
                }
                current = next;
            } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
                throw unreachable(current, e);
            } catch (SocketTimeoutException e) {
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) throw unreachable(current, e);
                throw e;
            }
        }
        throw new SottoException(uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static NetworkUnavailable unreachable(URI uri, IOException e) {
        String why = e instanceof UnknownHostException ? "the name " + uri.getHost() + " does not resolve"
                : e instanceof SocketTimeoutException ? "the connection to " + uri.getHost() + " timed out"
                : "cannot connect to " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (" + e.getMessage() + ")";
        return new NetworkUnavailable(why, e);
    }

    private static SottoException httpError(URI uri, HttpURLConnection c, int status) throws IOException {
        c.disconnect();
        if (status == 404 || status == 410) {
            return new SottoException(uri + ": not found (HTTP " + status + "): the catalogue entry is out of date, or the mirror "
                    + "lacks this file");
        }
        if (status == 401 || status == 403) {
            return new SottoException(uri + ": access denied (HTTP " + status + "): the server or mirror wants credentials "
                    + "Sotto does not send");
        }
        throw new IOException("HTTP " + status + " from " + uri.getHost());
    }

    private void copyLocal(URI uri, Path part, String label) throws IOException {
        Path source = Path.of(uri);
        if (!Files.isRegularFile(source)) throw new SottoException(uri + ": no such file on the mirror");
        long total = Files.size(source);
        try (InputStream in = Files.newInputStream(source);
             OutputStream out = Files.newOutputStream(part);
             Reporter.ByteProgress bar = reporter.progress(label, total)) {
            byte[] buffer = new byte[1 << 16];
            long done = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                bar.update(done += n);
            }
        }
    }

    static long[] parseContentRange(String header) throws IOException {
        Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.strip());
        if (m == null || !m.matches()) throw new IOException("bad Content-Range '" + header + "'");
        long start = Long.parseLong(m.group(1));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return new long[] {start, total};
    }

    private static PartInfo readInfo(Path part) {
        try {
            return Files.isRegularFile(metaOf(part)) ? Json.LENIENT.readValue(metaOf(part).toFile(), PartInfo.class) : null;
        } catch (IOException e) {
            return null;   // unreadable: start over
        }
    }

    private static void writeInfo(Path part, PartInfo info) throws IOException {
        Files.write(metaOf(part), Json.LENIENT.writeValueAsBytes(info));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String resumeNote(Path part) {
        long have = size(part);
        return have > 0 ? "resuming from " + Bytes.human(have) + ", " : "";
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SottoException("interrupted");
        }
    }

    private static String describe(IOException e) {
        if (e == null) return "unknown error";
        if (e instanceof SocketTimeoutException) return "no data for too long (the server stalled)";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static boolean isDiskFull(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("disk quota");
    }
}
