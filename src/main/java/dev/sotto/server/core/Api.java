package dev.sotto.server.core;

import io.javalin.config.RoutesConfig;

/** One cloud API the server speaks. Each lives in its own package and is listed once in {@code SottoServer}. */
public interface Api {
    /** Registers the API's endpoints (and, through the context, the runners of its jobs). */
    void register(RoutesConfig routes);

    /** Adds what this API depends on beyond the loaded models (e.g. a model server it calls) to {@code GET /health}. */
    default void health(com.fasterxml.jackson.databind.node.ObjectNode health) {
    }
}
