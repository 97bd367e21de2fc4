package dev.sotto.server.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link UrlFetcher} may fetch, set by the operator when starting the server.
 *
 * @param allowPrivate  reach loopback, private-network and other non-public addresses
 *                      ({@code --allow-private-urls}); off by default, so clients cannot make the
 *                      server fetch from its own network
 * @param fileRoots     directories whose files {@code file:} URLs may name
 *                      ({@code --allow-file-root DIR}); none by default
 * @param maxBytes      the largest body accepted
 * @param timeout       the deadline for a whole fetch: connecting, redirects and body
 * @param maxRedirects  redirects followed before giving up
 */
public record UrlPolicy(boolean allowPrivate, List<Path> fileRoots, long maxBytes, Duration timeout, int maxRedirects) {
    public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    public UrlPolicy {
        fileRoots = List.copyOf(fileRoots);
        Objects.requireNonNull(timeout, "timeout");
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero() || maxRedirects < 0) {
            throw new IllegalArgumentException("maxBytes and timeout must be positive, maxRedirects at least 0: "
                    + maxBytes + ", " + timeout + ", " + maxRedirects);
        }
    }

    /** No private addresses, no local files, 1024 MiB, 60 s, 5 redirects. */
    public static UrlPolicy defaults() {
        return new UrlPolicy(false, List.of(), DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_MAX_REDIRECTS);
    }
}
