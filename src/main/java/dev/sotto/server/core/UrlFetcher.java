package dev.sotto.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
 * spool directory. The server fetches a client's URL from inside its own network, so this class
 * refuses what a client should not reach through it: schemes other than http and https, local
 * files outside the operator's {@link UrlPolicy#fileRoots() file roots}, and hosts that resolve
 * to private or local addresses (unless {@link UrlPolicy#allowPrivate()}). Redirects are followed
 * here, one hop at a time, each checked the same way. One deadline covers the whole fetch, and
 * the body may not exceed {@link UrlPolicy#maxBytes()}.
 *
 * <pre>{@code
 * UrlFetcher fetcher = new UrlFetcher(UrlPolicy.defaults());
 * UrlFetcher.Fetched f = fetcher.fetch("https://example.com/talk.mp3", spoolDir);
 * try (AudioDecoder in = AudioDecoder.open(f.file(), f.fileName())) { ... }
 * finally { Files.deleteIfExists(f.file()); }
 * }</pre>
 *
 * <p>Every failure is a {@link FetchException} whose message names the URL and says what to do,
 * and whose {@link FetchException#status() status} is the HTTP status to answer; a partly
 * written file is deleted first. Thread-safe: one instance serves the whole server.
 *
 * <p>DNS rebinding remains possible: the host is resolved and checked here, then HttpClient
 * resolves it again when it connects and cannot be told to use the address that was checked.
 * A DNS server that answers with a very short TTL can hand a public address to the check and a
 * private one to the connection. Where that matters, run the server behind an egress firewall.
 */
public final class UrlFetcher {
    /** A fetched body: a new file in the spool directory, which the caller deletes when done. */
    public record Fetched(Path file, String fileName, long size) {
    }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final String USER_AGENT = "sotto (speech recognition server)";
    /** Closes bodies that stall past the deadline; one daemon thread serves every fetch. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final UrlPolicy policy;
    private final Predicate<InetAddress> isPrivate;
    private final LocalFiles localFiles;
    private final HttpClient client;

    /**
     * @throws dev.sotto.SottoException if one of the policy's file roots is not a directory
     */
    public UrlFetcher(UrlPolicy policy) {
        this(policy, PrivateAddresses::isPrivate);
    }

    /** With another test of which addresses are private, so tests can treat 127.0.0.1 as public. */
    UrlFetcher(UrlPolicy policy, Predicate<InetAddress> isPrivate) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.isPrivate = isPrivate;
        this.localFiles = new LocalFiles(policy);
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER) // every hop is checked in fetch()
                .proxy(HttpClient.Builder.NO_PROXY) // connect to the address that was checked, not a proxy
                .connectTimeout(policy.timeout())
                .build();
    }

    /**
     * Fetches {@code url} into a new file in {@code spoolDir} (which must exist).
     *
     * @throws FetchException if the URL is refused, does not work, is too slow or too large
     */
    public Fetched fetch(String url, Path spoolDir) {
        long deadline = System.nanoTime() + policy.timeout().toNanos();
        URI first = parse(url);
        if (scheme(first).equals("file")) {
            return localFiles.fetch(first, spoolDir);
        }
        URI current = first;
        for (int redirects = 0; ; redirects++) {
            String where = FetchMessages.shown(first)
                    + (redirects == 0 ? "" : " (redirected to " + FetchMessages.shown(current) + ")");
            checkRemote(current, where, redirects > 0);
            HttpResponse<InputStream> response = send(current, where, deadline);
            int status = response.statusCode();
            if (status >= 200 && status <= 299) {
                return download(response, fileName(current), where, spoolDir, deadline);
            }
            closeQuietly(response.body());
            if (!REDIRECTS.contains(status)) {
                throw FetchMessages.status(where, status);
            }
            if (redirects == policy.maxRedirects()) {
                throw FetchMessages.tooManyRedirects(FetchMessages.shown(first), policy.maxRedirects());
            }
            current = nextHop(current, response, where);
        }
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw FetchMessages.noUrl();
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw FetchMessages.invalid(url, e.getReason());
        }
        if (uri.getScheme() == null) {
            throw FetchMessages.invalid(url, "no scheme");
        }
        return uri;
    }

    /** The scheme, the host and its addresses: whether this hop may be connected to at all. */
    private void checkRemote(URI uri, String where, boolean redirected) {
        String scheme = scheme(uri);
        if (scheme.equals("file") && redirected) {
            throw FetchMessages.redirectToFile(where);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw FetchMessages.scheme(where, scheme);
        }
        String host = uri.getHost();
        if (host == null) {
            throw FetchMessages.noHost(where);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host); // a literal address is parsed, not looked up
        } catch (UnknownHostException e) {
            throw FetchMessages.unresolvable(where, host);
        }
        // Every address, not just the first: HttpClient may connect to any of them.
        for (InetAddress address : addresses) {
            if (!policy.allowPrivate() && isPrivate.test(address)) {
                throw FetchMessages.privateAddress(where, host, address.getHostAddress());
            }
        }
    }

    /** Sends the request, waiting for the status line and headers at most until the deadline. */
    private HttpResponse<InputStream> send(URI uri, String where, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw FetchMessages.timeout(where, policy.timeout(), -1);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
                    .header("User-Agent", USER_AGENT).GET().build();
        } catch (IllegalArgumentException e) {
            throw FetchMessages.invalid(uri.toString(), e.getMessage());
        }
        CompletableFuture<HttpResponse<InputStream>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            // The request's timeout may not cover connecting; waiting on the future covers everything.
            return pending.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!pending.cancel(true) && !pending.isCompletedExceptionally()) {
                closeQuietly(pending.join().body()); // it answered just as we gave up
            }
            throw FetchMessages.timeout(where, policy.timeout(), -1);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw FetchMessages.interrupted(where);
        } catch (ExecutionException e) {
            throw failed(where, e.getCause());
        }
    }

    private FetchException failed(String where, Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return FetchMessages.timeout(where, policy.timeout(), -1);
        }
        if (cause instanceof ConnectException) {
            return FetchMessages.cannotConnect(where, cause);
        }
        return FetchMessages.connectionFailed(where, cause);
    }

    private static URI nextHop(URI current, HttpResponse<?> response, String where) {
        String location = response.headers().firstValue("Location").orElse(null);
        try {
            if (location != null) {
                return current.resolve(new URI(location.strip()));
            }
        } catch (URISyntaxException e) {
            // answered below, like a missing Location
        }
        throw FetchMessages.badRedirect(where, response.statusCode());
    }

    /** Reads the body into the spool directory; a watchdog closes it at the deadline. */
    private Fetched download(HttpResponse<InputStream> response, String fileName, String where, Path spoolDir,
                             long deadline) {
        InputStream body = response.body();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(body); // makes a read blocked on a stalled server fail
        }, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        try {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > policy.maxBytes()) {
                throw FetchMessages.tooLarge(where, declared, policy.maxBytes());
            }
            return Spool.copy(body, spoolDir, fileName, where, policy, expired::get);
        } finally {
            alarm.cancel(false);
            closeQuietly(body);
        }
    }

    private static String scheme(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The last segment of the URL's path, for messages and the spooled file's extension; "audio" if none. */
    static String fileName(URI uri) {
        String path = uri.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        name = name.replaceAll("[\\p{Cntrl}\\\\]", "_");
        if (name.isBlank() || name.equals(".") || name.equals("..")) {
            return "audio";
        }
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: the stream is abandoned either way
        }
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sotto-url-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled alarms do not wait in the queue until their deadline
        return executor;
    }
}
