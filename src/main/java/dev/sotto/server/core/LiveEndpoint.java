package dev.sotto.server.core;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;

/** What the WebSocket protocols share: the key check at upgrade (header, or the query as browsers must). */
public final class LiveEndpoint {
    private LiveEndpoint() {
    }

    /** Refuses the upgrade with a 401 unless a valid key is presented (or none is configured). */
    public static void checkKey(ServerContext server, Context ctx, String... queryNames) {
        if (!server.auth().enabled()) return;
        String key = Auth.presented(ctx.header("Authorization"), ctx.header("x-api-key"));
        for (String q : queryNames) if (key == null) key = ctx.queryParam(q);
        String protocols = ctx.header("Sec-WebSocket-Protocol");
        if (key == null && protocols != null) {
            for (String p : protocols.split(",")) {
                String t = p.strip();
                if (t.startsWith("openai-insecure-api-key.")) key = t.substring("openai-insecure-api-key.".length());
            }
        }
        if (key == null || !server.auth().valid(key)) {
            throw new HttpResponseException(401, key == null ? "an API key is required" : "Incorrect API key provided",
                    Map.of());
        }
    }
}
