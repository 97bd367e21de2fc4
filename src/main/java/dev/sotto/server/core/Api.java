package dev.sotto.server.core;

import io.javalin.config.RoutesConfig;

/** One cloud API the server speaks. Each lives in its own package and is listed once in {@code SottoServer}. */
public interface Api {
    /** Registers the API's endpoints (and, through the context, the runners of its jobs). */
    void register(RoutesConfig routes);
}
