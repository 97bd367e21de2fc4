package dev.sotto.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model host on 127.0.0.1 for tests, in place of GitHub and Hugging Face: serves byte arrays
 * with ETags and HTTP ranges (If-Range honoured), and on request misbehaves the way real
 * networks do: cuts the connection mid-body, stalls, ignores ranges.
 */
final class ModelServer implements AutoCloseable {
    /** What one request asked for. */
    record Request(String path, String range, String ifRange) {
    }

    private record File(byte[] body, String etag) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, File> files = new ConcurrentHashMap<>();
    private final Map<String, long[]> cuts = new ConcurrentHashMap<>();      // path -> {bytes, times left}
    private final Map<String, Long> stalls = new ConcurrentHashMap<>();      // path -> bytes before stalling
    private final Map<String, Boolean> ignoreRange = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger etags = new AtomicInteger();

    ModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code body} at {@code path}; a new body gets a new ETag. */
    void put(String path, byte[] body) {
        files.put(path, new File(body, "\"v" + etags.incrementAndGet() + "\""));
    }

    void remove(String path) {
        files.remove(path);
    }

    /** The next {@code times} requests for {@code path} get only its first {@code bytes} bytes, then the connection drops. */
    void cutAfter(String path, long bytes, int times) {
        cuts.put(path, new long[] {bytes, times});
    }

    /** Requests for {@code path} get {@code bytes} bytes, then nothing more until the server closes. */
    void stallAfter(String path, long bytes) {
        stalls.put(path, bytes);
    }

    void ignoreRanges(String path) {
        ignoreRange.put(path, true);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String range = x.getRequestHeaders().getFirst("Range");
        String ifRange = x.getRequestHeaders().getFirst("If-Range");
        requests.add(new Request(path, range, ifRange));
        File f = files.get(path);
        if (f == null) {
            x.sendResponseHeaders(404, -1);
            x.close();
            return;
        }
        long start = 0;
        boolean partial = range != null && !ignoreRange.containsKey(path) && (ifRange == null || ifRange.equals(f.etag()));
        if (partial) {
            start = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
            if (start >= f.body().length) {
                x.getResponseHeaders().set("Content-Range", "bytes */" + f.body().length);
                x.sendResponseHeaders(416, -1);
                x.close();
                return;
            }
            x.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (f.body().length - 1) + "/" + f.body().length);
        }
        x.getResponseHeaders().set("ETag", f.etag());
        x.getResponseHeaders().set("Accept-Ranges", "bytes");
        int length = (int) (f.body().length - start);
        x.sendResponseHeaders(partial ? 206 : 200, length);
        OutputStream out = x.getResponseBody();
        long[] cut = cuts.get(path);
        Long stall = stalls.get(path);
        try {
            if (cut != null && cut[1] > 0) {
                cut[1]--;
                int n = (int) Math.max(0, Math.min(length, cut[0] - start));
                out.write(f.body(), (int) start, n);
                out.flush();
                sleep(100);
                throw new IOException("cut");
            }
            if (stall != null) {
                out.write(f.body(), (int) start, (int) Math.min(length, stall));
                out.flush();
                closing.await(60, TimeUnit.SECONDS);
                throw new IOException("stalled");
            }
            out.write(f.body(), (int) start, length);
            out.close();
        } catch (IOException | InterruptedException e) {
            // closing the exchange with bytes missing makes the server drop the connection: a cut
            x.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
