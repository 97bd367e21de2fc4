package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UrlFetcher against a local HTTP server: what it fetches, what it refuses, and that it cleans up. */
class UrlFetcherTest {
    private static final byte[] AUDIO = new byte[100_000];
    private static final long LIMIT = 50_000_000;

    static {
        new Random(1).nextBytes(AUDIO);
    }

    @TempDir
    Path tmp;
    Path spool;
    HttpServer server;
    ExecutorService handlers = Executors.newCachedThreadPool();
    AtomicInteger hits = new AtomicInteger();
    CountDownLatch hang = new CountDownLatch(1); // the "slow" handlers wait on it until the test ends
    String base;

    @BeforeEach
    void startServer() throws IOException {
        spool = Files.createDirectory(tmp.resolve("spool"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        handle("/audio.wav", x -> send(x, 200, AUDIO.length, AUDIO));
        handle("/missing", x -> send(x, 404, -1, new byte[0]));
        handle("/loop", x -> redirect(x, "/loop"));
        handle("/hops/", x -> { // /hops/N redirects N times, then to /audio.wav
            int n = Integer.parseInt(x.getRequestURI().getPath().substring("/hops/".length()));
            redirect(x, n == 1 ? "/audio.wav" : "/hops/" + (n - 1));
        });
        handle("/to-127.0.0.2", x -> redirect(x, "http://127.0.0.2:" + server.getAddress().getPort() + "/audio.wav"));
        handle("/to-file", x -> redirect(x, tmp.resolve("root/a.wav").toUri().toString()));
        handle("/to-ftp", x -> redirect(x, "ftp://example.com/a.wav"));
        handle("/declared-too-big", x -> send(x, 200, 5000, new byte[5000]));
        handle("/chunked-too-big", x -> send(x, 200, 0, new byte[200_000]));
        handle("/never-answers", x -> await());
        handle("/stalls", x -> {
            x.sendResponseHeaders(200, 0);
            x.getResponseBody().write(new byte[1000]);
            x.getResponseBody().flush();
            await();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        hang.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    // --- what is fetched

    @Test
    void downloadsTheBodyIntoTheSpoolDirectory() throws IOException {
        UrlFetcher.Fetched f = fetcher(true).fetch(base + "/audio.wav?token=x", spool);
        assertArrayEquals(AUDIO, Files.readAllBytes(f.file()));
        assertEquals(AUDIO.length, f.size());
        assertEquals("audio.wav", f.fileName());
        assertEquals(spool, f.file().getParent());
        assertTrue(f.file().toString().endsWith(".wav"), "FFmpeg gets the extension: " + f.file());
    }

    @Test
    void followsRedirectsUpToTheLimit() throws IOException {
        UrlFetcher.Fetched f = fetcher(true).fetch(base + "/hops/5", spool);
        assertArrayEquals(AUDIO, Files.readAllBytes(f.file()));
        assertEquals("audio.wav", f.fileName(), "named after where the redirects led");
        assertEquals(6, hits.get());
    }

    @Test
    void localhostIsFetchedWhenPrivateAddressesAreAllowed() {
        assertEquals(AUDIO.length, fetcher(true).fetch(base.replace("127.0.0.1", "localhost") + "/audio.wav", spool).size());
    }

    // --- what is refused before connecting

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "10.1.2.3", "169.254.169.254",
            "[fd00::1]", "0.0.0.0", "2130706433"})
    void privateAddressesAreRefusedWithoutConnecting(String host) {
        int port = server.getAddress().getPort();
        long start = System.nanoTime();
        FetchException e = fails(fetcher(false), "http://" + host + ":" + port + "/audio.wav", 400,
                host, "--allow-private-urls", "upload the file");
        assertEquals(0, hits.get(), "no connection attempted");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no connection attempted");
        if (host.equals("localhost")) {
            assertTrue(e.getMessage().contains("localhost resolves to 127.0.0.1"), e.getMessage());
        }
    }

    @Test
    void messagesHideUserNamesAndQueries() {
        FetchException e = fails(fetcher(false), "http://alice:secret@10.1.2.3/a.wav?sig=abc123", 400,
                "http://10.1.2.3/a.wav?…");
        assertFalse(e.getMessage().contains("secret") || e.getMessage().contains("abc123"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/a.wav", "gopher://example.com/a.wav", "data:audio/wav;base64,UklGRg==",
            "jar:file:///tmp/x.jar!/a.wav", "javascript:alert(1)"})
    void otherSchemesAreRefused(String url) {
        fails(fetcher(true), url, 400, "URLs are refused", "Pass an http:// or https:// URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.wav", "http://exa mple.com/a.wav", "http:///a.wav"})
    void malformedUrlsAreRefused(String url) {
        fails(fetcher(true), url, 400, "http:// or https:// URL");
    }

    // --- redirects

    @Test
    void tooManyRedirectsAreRefused() {
        fails(fetcher(true), base + "/hops/6", 400, "too many redirects (max 5)");
        assertEquals(6, hits.get());
    }

    @Test
    void aRedirectLoopIsRefused() {
        fails(fetcher(true), base + "/loop", 400, base + "/loop", "too many redirects (max 5)");
    }

    @Test
    void everyHopIsChecked() {
        // 127.0.0.1 counts as public here, so the first hop is allowed and the second is not.
        UrlFetcher fetcher = new UrlFetcher(policy(false, List.of(), LIMIT, Duration.ofSeconds(5)),
                a -> !a.getHostAddress().equals("127.0.0.1"));
        fails(fetcher, base + "/to-127.0.0.2", 400, "redirected to http://127.0.0.2:", "--allow-private-urls");
        assertEquals(1, hits.get(), "only the redirect was fetched");
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        fails(fetcher(true), base + "/to-ftp", 400, "redirected to ftp://example.com/a.wav", "ftp: URLs are refused");
    }

    @Test
    void aRedirectToAFileIsAlwaysRefused() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.write(root.resolve("a.wav"), AUDIO);
        UrlFetcher fetcher = new UrlFetcher(policy(true, List.of(root), LIMIT, Duration.ofSeconds(5)));
        assertEquals(AUDIO.length, fetcher.fetch(root.resolve("a.wav").toUri().toString(), spool).size(),
                "the file itself may be fetched");
        Files.delete(Files.list(spool).findFirst().orElseThrow());
        fails(fetcher, base + "/to-file", 400, "a redirect to a local file is always refused");
    }

    // --- answers that fail

    @Test
    void anErrorStatusIsReported() {
        fails(fetcher(true), base + "/missing", 400, base + "/missing answered HTTP 404");
    }

    @Test
    void anUnknownHostIsReported() {
        fails(fetcher(true), "http://no-such-host.invalid/a.wav", 400, "no-such-host.invalid cannot be resolved");
    }

    @Test
    void aRefusedConnectionIsReported() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        fails(fetcher(true), "http://127.0.0.1:" + port + "/a.wav", 400, "cannot connect to its server", "server is up");
    }

    // --- size and time

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
        UrlFetcher fetcher = new UrlFetcher(policy(true, List.of(), 1000, Duration.ofSeconds(5)));
        fails(fetcher, base + "/declared-too-big", 413, "the file is 5000 bytes", "limit of 1000 bytes");
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOff() {
        UrlFetcher fetcher = new UrlFetcher(policy(true, List.of(), 100_000, Duration.ofSeconds(5)));
        fails(fetcher, base + "/chunked-too-big", 413, "over this server's limit of 100000 bytes");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        assertTimesOut(base + "/never-answers", "did not answer within 1 s.");
    }

    @Test
    void aBodyThatStallsTimesOut() {
        assertTimesOut(base + "/stalls", "did not answer within 1 s (the download stalled after 1000 bytes)");
    }

    private void assertTimesOut(String url, String message) {
        UrlFetcher fetcher = new UrlFetcher(policy(true, List.of(), LIMIT, Duration.ofSeconds(1)));
        long start = System.nanoTime();
        fails(fetcher, url, 408, message);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.9 && seconds < 3.0, "gave up after " + seconds + " s"); // 1 s and a little
    }

    // --- local files

    @Test
    void localFilesUnderARootAndNothingElse() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.write(root.resolve("a.wav"), AUDIO);
        Files.write(outside.resolve("b.wav"), AUDIO);
        Files.createSymbolicLink(root.resolve("link.wav"), outside.resolve("b.wav"));
        Files.createDirectory(root.resolve("dir"));
        UrlFetcher fetcher = new UrlFetcher(policy(false, List.of(root), LIMIT, Duration.ofSeconds(5)));

        UrlFetcher.Fetched f = fetcher.fetch(root.resolve("a.wav").toUri().toString(), spool);
        assertArrayEquals(AUDIO, Files.readAllBytes(f.file()));
        assertEquals("a.wav", f.fileName());
        Files.delete(f.file());

        String refused = "local files are refused unless the server's operator passes --allow-file-root DIR";
        fails(fetcher, outside.resolve("b.wav").toUri().toString(), 400, refused);
        fails(fetcher, root.toUri() + "../outside/b.wav", 400, refused);
        fails(fetcher, root.resolve("link.wav").toUri().toString(), 400, refused);
        fails(fetcher, outside.resolve("nothing-here.wav").toUri().toString(), 400, refused);
        fails(fetcher, root.resolve("nothing-here.wav").toUri().toString(), 400, "no such file");
        fails(fetcher, root.resolve("dir").toUri().toString(), 400, "not a regular file");
        fails(new UrlFetcher(policy(false, List.of(root), 1000, Duration.ofSeconds(5))),
                root.resolve("a.wav").toUri().toString(), 413, "limit of 1000 bytes");
        fails(fetcher(true), root.resolve("a.wav").toUri().toString(), 400, refused);
    }

    // --- which addresses are private

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1",
            "100.127.255.255", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "::ffff:10.0.0.1", "::127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a00:1::1"})
    void privateAddresses(String address) throws IOException {
        assertTrue(PrivateAddresses.isPrivate(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "9.255.255.255", "11.0.0.0", "100.63.255.255",
            "100.128.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0",
            "192.0.1.1", "192.167.255.255", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "2606:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddresses(String address) throws IOException {
        assertFalse(PrivateAddresses.isPrivate(InetAddress.getByName(address)), address);
    }

    @Test
    void ipv4MappedAddressesHeldAsIpv6() throws IOException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(a instanceof Inet6Address);
        assertTrue(PrivateAddresses.isPrivate(a));
        mapped[12] = 8;
        assertFalse(PrivateAddresses.isPrivate(Inet6Address.getByAddress(null, mapped, -1)));
    }

    // --- helpers

    /** Fetching {@code url} fails with {@code status}, a message holding {@code parts}, and an empty spool. */
    private FetchException fails(UrlFetcher fetcher, String url, int status, String... parts) {
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url, spool), url);
        assertEquals(status, e.status(), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(List.of(), left.toList(), "the spool directory is left empty");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
        return e;
    }

    private static UrlFetcher fetcher(boolean allowPrivate) {
        return new UrlFetcher(policy(allowPrivate, List.of(), LIMIT, Duration.ofSeconds(5)));
    }

    private static UrlPolicy policy(boolean allowPrivate, List<Path> roots, long maxBytes, Duration timeout) {
        return new UrlPolicy(allowPrivate, roots, maxBytes, timeout, 5);
    }

    private void handle(String path, HttpHandler handler) {
        server.createContext(path, x -> {
            hits.incrementAndGet();
            try (x) {
                handler.handle(x);
            } catch (IOException e) {
                // the client went away: expected when it refuses a body
            }
        });
    }

    private static void send(HttpExchange x, int status, long length, byte[] body) throws IOException {
        x.sendResponseHeaders(status, length); // 0: chunked, -1: no body
        if (length >= 0) {
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < body.length; i += 1000) {
                    out.write(body, i, Math.min(1000, body.length - i));
                }
            }
        }
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
    }

    private void await() {
        try {
            hang.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
