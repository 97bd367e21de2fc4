package dev.sotto.server.core;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * API keys. With none configured every request passes; otherwise a request must carry one
 * in the header its API uses: {@code Authorization: Bearer K} (OpenAI, NanoGPT),
 * {@code Authorization: Key K} (fal) or {@code x-api-key: K} (NanoGPT). Keys are compared
 * through their SHA-256 digests with {@link MessageDigest#isEqual}, in constant time.
 */
public final class Auth {
    private final List<byte[]> keys;

    public Auth(List<String> keys) {
        this.keys = keys.stream().map(Auth::digest).toList();
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** Throws a 401 unless the request carries a valid key (or no key is configured). */
    public void check(Context ctx) {
        if (keys.isEmpty()) return;
        String key = presented(ctx);
        if (key == null) {
            throw new ServeException(401, "missing_api_key", null, "This server requires an API key: send it as "
                    + "'Authorization: Bearer <key>' (OpenAI), 'Authorization: Key <key>' (fal) or 'x-api-key: <key>' (NanoGPT)");
        }
        if (!valid(key)) throw new ServeException(401, "invalid_api_key", null, "Incorrect API key provided");
    }

    public boolean valid(String key) {
        byte[] d = digest(key);
        boolean ok = false;
        for (byte[] k : keys) ok |= MessageDigest.isEqual(k, d);   // no early exit: same time for every key
        return ok;
    }

    private static String presented(Context ctx) {
        return presented(ctx.header("Authorization"), ctx.header("x-api-key"));
    }

    /**
     * The key in an {@code Authorization} value ({@code Bearer K}, {@code Key K}, or the bare key
     * as Fireworks' streaming clients send it) or else in {@code x-api-key}; null when neither.
     */
    public static String presented(String authorization, String xApiKey) {
        if (authorization != null && !authorization.isBlank()) {
            String a = authorization.strip();
            int space = a.indexOf(' ');
            if (space < 0) return a;
            String scheme = a.substring(0, space);
            if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Key")) return a.substring(space + 1).strip();
        }
        return xApiKey != null && !xApiKey.isBlank() ? xApiKey.strip() : null;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
