package dev.sotto.server.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Every message of {@link UrlFetcher}, in one place so they stay consistent: each names the URL,
 * says what is wrong and what to do. URLs are {@link #shown shown} without user names, passwords
 * or query strings, which may hold secrets.
 */
final class FetchMessages {
    private static final String USE_HTTP = " Pass an http:// or https:// URL.";

    private FetchMessages() {
    }

    static FetchException noUrl() {
        return new FetchException(400, "No audio URL given." + USE_HTTP);
    }

    static FetchException invalid(String url, String why) {
        String shown = url.length() > 100 ? url.substring(0, 100) + "…" : url;
        return new FetchException(400, "Not a valid URL: \"" + shown + "\" (" + why + ")." + USE_HTTP);
    }

    static FetchException noHost(String where) {
        return new FetchException(400, where + ": the URL has no valid host name." + USE_HTTP);
    }

    static FetchException scheme(String where, String scheme) {
        return new FetchException(400, where + ": " + scheme + ": URLs are refused." + USE_HTTP);
    }

    static FetchException redirectToFile(String where) {
        return new FetchException(400, where + ": a redirect to a local file is always refused." + USE_HTTP);
    }

    static FetchException unresolvable(String where, String host) {
        return new FetchException(400, where + ": the host name " + host + " cannot be resolved. Check its spelling.");
    }

    static FetchException privateAddress(String where, String host, String ip) {
        String what = host.equals(ip) || host.startsWith("[") ? host + " is" : host + " resolves to " + ip + ", which is";
        return new FetchException(400, where + ": " + what + " a loopback, private or otherwise non-public address."
                + " This server fetches from such addresses only if its operator passes --allow-private-urls;"
                + " pass a public URL, or upload the file.");
    }

    static FetchException tooManyRedirects(String where, int max) {
        return new FetchException(400, where + ": too many redirects (max " + max + ")."
                + " Pass the URL it finally leads to.");
    }

    static FetchException badRedirect(String where, int status) {
        return new FetchException(400, where + " answered HTTP " + status + " without a usable Location header."
                + " Pass the URL it should lead to.");
    }

    static FetchException status(String where, int status) {
        return new FetchException(400, where + " answered HTTP " + status
                + ". Check that the URL is right and can be downloaded without logging in.");
    }

    static FetchException cannotConnect(String where, Throwable cause) {
        return new FetchException(400, where + ": cannot connect to its server (refused or unreachable)."
                + " Check the URL and that the server is up.", cause);
    }

    static FetchException connectionFailed(String where, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new FetchException(400, where + ": the connection failed (" + reason + ")."
                + " Check the URL and that its server is up.", cause);
    }

    static FetchException readFailed(String where, long received, Exception cause) {
        return new FetchException(400, where + ": reading it failed after " + received + " bytes ("
                + cause.getMessage() + "). Try again.", cause);
    }

    static FetchException timeout(String where, Duration timeout, long received) {
        return new FetchException(408, where + " did not answer within " + seconds(timeout)
                + (received >= 0 ? " (the download stalled after " + received + " bytes)" : "")
                + ". Check that its server is up and fast enough, or upload the file.");
    }

    static FetchException tooLarge(String where, long declared, long limit) {
        return new FetchException(413, where + ": the file is " + (declared >= 0 ? bytes(declared) + ", " : "")
                + "over this server's limit of " + bytes(limit) + ". Send a shorter or more compressed recording.");
    }

    static FetchException interrupted(String where) {
        return new FetchException(503, where + ": the download was interrupted (the server is stopping). Try again.");
    }

    static FetchException spoolFailed(String where, Path spoolDir, Exception cause) {
        return new FetchException(500, "Cannot store the download of " + where + " in " + spoolDir + " ("
                + cause.getMessage() + "). The server's disk may be full: tell its operator.", cause);
    }

    /** The same answer for every file outside the roots: clients learn nothing about the server's disk. */
    static FetchException localFileRefused(String where) {
        return new FetchException(400, where + ": local files are refused unless the server's operator passes"
                + " --allow-file-root DIR, and then only files under DIR. Upload the file instead, or pass"
                + " an http:// or https:// URL.");
    }

    static FetchException badFileUrl(String where, String why) {
        return new FetchException(400, where + ": not a usable file URL (" + why + ")."
                + " Write it as file:///absolute/path.");
    }

    static FetchException noSuchFile(String where) {
        return new FetchException(400, where + ": no such file. Check the path.");
    }

    static FetchException notRegularFile(String where) {
        return new FetchException(400, where + ": not a regular file. Name an audio file.");
    }

    /** The URL for messages: no user name or password, and "?…" for a query, which may hold a token. */
    static String shown(URI uri) {
        if (uri.isOpaque() || uri.getHost() == null) {
            return uri.getScheme() + ":" + (uri.getRawPath() == null ? "…" : uri.getRawPath());
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?…");
    }

    static String bytes(long n) {
        long mib = 1024 * 1024;
        if (n >= mib && n % mib == 0) {
            return n / mib + " MiB";
        }
        return n >= mib ? String.format(Locale.ROOT, "%.1f MiB", n / (double) mib) : n + " bytes";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
