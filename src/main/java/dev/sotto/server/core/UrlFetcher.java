package dev.sotto.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Downloads the audio a request names by URL ({@code audio_url}, {@code audioUrl}) into a
 * spool directory. A client's URL is fetched by the server, from inside its network, so this
 * class refuses what the client should not reach through it: any scheme but http and https,
 * local files outside the operator's {@link UrlPolicy#fileRoots() file roots}, and hosts that
 * resolve to private or local addresses (unless {@link UrlPolicy#allowPrivate()}). Redirects
 * are followed here, one hop at a time, each checked the same way. One deadline covers the
 * whole fetch, and the body may not exceed {@link UrlPolicy#maxBytes()}.
 *
 * <p>Every failure is a {@link FetchException} whose message names the URL (without its query
 * string or user name, which may hold secrets) and says what to do, and whose status is the
 * HTTP status to answer; the partly written file is deleted first. Thread-safe.
 *
 * <p>DNS rebinding stays possible: the host is resolved and checked here, then HttpClient
 * resolves it again when connecting and cannot be told to use the checked address, so a DNS
 * server answering with a very short TTL can hand out a public address to the check and a
 * private one to the connection. Operators who need more put the server behind an egress
 * firewall.
 */
public final class UrlFetcher {
    /** A fetched body: a new file in the spool directory, which the caller deletes when done. */
    public record Fetched(Path file, String fileName, long size) {
    }

    private static final String USER_AGENT = "sotto (speech recognition server)";
    /** Closes bodies that stall past the deadline; one daemon thread serves every fetch. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final UrlPolicy policy;
    private final Predicate<InetAddress> isPrivate;
    private final LocalFiles localFiles;
    private final HttpClient client;

    public UrlFetcher(UrlPolicy policy) {
        this(policy, PrivateAddresses::isPrivate);
    }

    /** With another test of which addresses are private, so tests can treat 127.0.0.1 as public. */
    UrlFetcher(UrlPolicy policy, Predicate<InetAddress> isPrivate) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.isPrivate = isPrivate;
        this.localFiles = new LocalFiles(policy.fileRoots());
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // each hop is checked in fetch()
                .proxy(HttpClient.Builder.NO_PROXY) // connect to the address that was checked, not a proxy
                .connectTimeout(policy.timeout())
                .build();
    }

    /**
     * Fetches {@code url} into a new file in {@code spoolDir}.
     *
     * @throws FetchException if the URL is refused, does not work, is too slow or too large
     */
    public Fetched fetch(String url, Path spoolDir) {
        long deadline = System.nanoTime() + policy.timeout().toNanos();
        URI first = parse(url);
        if (scheme(first).equals("file")) {
            return copy(localFiles.check(first, shown(first)), fileName(first), shown(first), spoolDir);
        }
        URI current = first;
        for (int redirects = 0; ; redirects++) {
            String where = redirects == 0 ? shown(first) : shown(first) + " (redirected to " + shown(current) + ")";
            checkRemote(current, where, redirects > 0);
            HttpResponse<InputStream> response = send(current, where, deadline);
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                closeQuietly(response.body());
                if (redirects == policy.maxRedirects()) {
                    throw new FetchException(400, shown(first) + ": too many redirects (max " + policy.maxRedirects()
                            + "). Pass the URL it finally leads to.");
                }
                current = nextHop(current, response, where);
            } else if (status < 200 || status > 299) {
                closeQuietly(response.body());
                throw new FetchException(400, where + " answered HTTP " + status
                        + ". Check that the URL is right and can be downloaded without logging in.");
            } else {
                return download(response, fileName(current), where, spoolDir, deadline);
            }
        }
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new FetchException(400, "No audio URL given. Pass an absolute http:// or https:// URL.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason());
        }
        if (uri.getScheme() == null) {
            throw invalid(url, "no scheme");
        }
        return uri;
    }

    private static FetchException invalid(String url, String why) {
        String shown = url.length() > 100 ? url.substring(0, 100) + "…" : url;
        return new FetchException(400, "Not a valid URL: \"" + shown + "\" (" + why + ")."
                + " Pass an absolute http:// or https:// URL.");
    }

    /** The scheme, the host and its addresses: what may be connected to at all. */
    private void checkRemote(URI uri, String where, boolean redirected) {
        String scheme = scheme(uri);
        if (scheme.equals("file") && redirected) {
            throw new FetchException(400, where + ": a redirect to a local file is always refused."
                    + " Pass an http:// or https:// URL.");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(400, where + ": " + scheme + ": URLs are refused."
                    + " Pass an http:// or https:// URL.");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new FetchException(400, where + ": the URL has no valid host name."
                    + " Pass an absolute http:// or https:// URL.");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new FetchException(400, where + ": the host name " + host + " cannot be resolved."
                    + " Check its spelling.");
        }
        // Every address, not just the first: HttpClient may connect to any of them.
        for (InetAddress address : addresses) {
            if (!policy.allowPrivate() && isPrivate.test(address)) {
                String ip = address.getHostAddress();
                String what = host.equals(ip) || host.startsWith("[") ? host : host + " resolves to " + ip;
                throw new FetchException(400, where + ": " + what + ", a loopback, private or otherwise"
                        + " non-public address; the server fetches from those only if its operator passes"
                        + " --allow-private-urls. Pass a public URL, or upload the file.");
            }
        }
    }

    /** Sends the request, waiting for the status line and headers at most until the deadline. */
    private HttpResponse<InputStream> send(URI uri, String where, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timeout(where, -1);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
                    .header("User-Agent", USER_AGENT).GET().build();
        } catch (IllegalArgumentException e) {
            throw invalid(uri.toString(), e.getMessage());
        }
        CompletableFuture<HttpResponse<InputStream>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            // The request timeout alone would not bound connecting; waiting on the future does.
            return pending.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!pending.cancel(true) && !pending.isCompletedExceptionally()) {
                closeQuietly(pending.join().body()); // it answered just as we gave up
            }
            throw timeout(where, -1);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted(where);
        } catch (ExecutionException e) {
            throw connectionFailed(where, e.getCause());
        }
    }

    private FetchException connectionFailed(String where, Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return timeout(where, -1);
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String what = cause instanceof ConnectException ? "cannot connect" : "the connection failed";
        return new FetchException(400, where + ": " + what + " (" + reason + ")."
                + " Check the URL and that its server is up.", cause);
    }

    private static URI nextHop(URI current, HttpResponse<?> response, String where) {
        String location = response.headers().firstValue("Location").orElse(null);
        try {
            if (location != null) {
                return current.resolve(new URI(location.strip()));
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new FetchException(400, where + " answered HTTP " + response.statusCode()
                + " without a usable Location header. Pass the URL it should lead to.");
    }

    /** Reads the body into the spool directory; a watchdog closes it at the deadline. */
    private Fetched download(HttpResponse<InputStream> response, String fileName, String where, Path spoolDir,
                             long deadline) {
        try (InputStream body = response.body()) {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > policy.maxBytes()) {
                throw tooLarge(where, declared);
            }
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
                expired.set(true);
                closeQuietly(body);
            }, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            try {
                return spool(body, fileName, where, spoolDir, expired);
            } finally {
                alarm.cancel(false);
            }
        } catch (IOException e) {
            throw connectionFailed(where, e); // from closing the body: the download is over anyway
        }
    }

    private Fetched copy(Path file, String fileName, String where, Path spoolDir) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > policy.maxBytes()) {
                throw tooLarge(where, size);
            }
            return spool(in, fileName, where, spoolDir, new AtomicBoolean());
        } catch (IOException e) {
            throw new FetchException(400, where + ": cannot read the file (" + e.getMessage() + ")."
                    + " Check its permissions.", e);
        }
    }

    /**
     * Copies {@code in} into a new file in {@code spoolDir}, at most {@link UrlPolicy#maxBytes()};
     * the file is deleted if anything fails. {@code expired} tells a stream closed by the watchdog
     * from one that ended.
     */
    private Fetched spool(InputStream in, String fileName, String where, Path spoolDir, AtomicBoolean expired) {
        Path file;
        try {
            file = Files.createTempFile(spoolDir, "fetch-", suffix(fileName));
        } catch (IOException e) {
            throw spoolFailed(where, spoolDir, e);
        }
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            while (true) {
                int n = read(in, buffer, where, size, expired);
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > policy.maxBytes()) {
                    throw tooLarge(where, -1);
                }
                out.write(buffer, 0, n);
            }
            done = true;
            return new Fetched(file, fileName, size);
        } catch (IOException e) {
            throw spoolFailed(where, spoolDir, e);
        } finally {
            if (!done) {
                deleteQuietly(file);
            }
        }
    }

    /** Reads the next piece; -1 at the end. Failures of the source are the URL's fault, not the disk's. */
    private int read(InputStream in, byte[] buffer, String where, long size, AtomicBoolean expired) {
        try {
            int n = in.read(buffer);
            if (expired.get()) { // a stream closed by the watchdog may look like one that ended
                throw timeout(where, size);
            }
            return n;
        } catch (IOException e) {
            throw expired.get() ? timeout(where, size) : new FetchException(400, where
                    + ": reading it failed after " + size + " bytes (" + e.getMessage() + "). Try again.", e);
        }
    }

    private FetchException tooLarge(String where, long declared) {
        return new FetchException(413, where + ": the file is " + (declared >= 0 ? bytes(declared) + ", " : "")
                + "over this server's limit of " + bytes(policy.maxBytes())
                + ". Send a shorter or more compressed recording.");
    }

    private FetchException timeout(String where, long received) {
        return new FetchException(408, where + " did not answer within " + seconds(policy.timeout())
                + (received >= 0 ? " (the download stalled after " + received + " bytes)" : "")
                + ". Check that its server is up and fast enough, or upload the file.");
    }

    private static FetchException interrupted(String where) {
        return new FetchException(503, where + ": the download was interrupted (the server is stopping). Try again.");
    }

    private static FetchException spoolFailed(String where, Path spoolDir, IOException e) {
        return new FetchException(500, "Cannot store the download of " + where + " in " + spoolDir + " ("
                + e.getMessage() + "). The server's disk may be full: tell its operator.", e);
    }

    private static String scheme(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The URL for messages: no user name or password, and "?…" for a query, which may hold a token. */
    static String shown(URI uri) {
        if (uri.isOpaque() || uri.getHost() == null) {
            return uri.getScheme() + ":" + (uri.getRawPath() == null ? "…" : uri.getRawPath());
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?…");
    }

    /** The last segment of the URL's path, for messages and the file's extension; "audio" if none. */
    static String fileName(URI uri) {
        String path = uri.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        name = name.replaceAll("[\\p{Cntrl}\\\\]", "_");
        if (name.isBlank() || name.equals(".") || name.equals("..")) {
            return "audio";
        }
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }

    /** The name's extension for the spooled file: FFmpeg uses it when the content is ambiguous. */
    private static String suffix(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1);
        return ext.matches("[A-Za-z0-9]{1,8}") ? "." + ext : "";
    }

    private static String bytes(long n) {
        long mib = 1024 * 1024;
        if (n % mib == 0) {
            return n / mib + " MiB";
        }
        return n >= mib ? String.format(Locale.ROOT, "%.1f MiB", n / (double) mib) : n + " bytes";
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: the stream is being abandoned
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit(); // the last resort: it is in the spool directory, at least
        }
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sotto-url-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled alarms do not pile up until their deadline
        return executor;
    }
}
