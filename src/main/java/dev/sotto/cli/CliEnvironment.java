package dev.sotto.cli;

import java.util.Map;

/**
 * The environment the models settings are read from: the process's, or the map a caller of
 * {@link Main#run(Map, String...)} passes (per thread, so in-process runs stay apart).
 */
final class CliEnvironment {
    private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

    private CliEnvironment() {
    }

    static Map<String, String> get() {
        Map<String, String> env = OVERRIDE.get();
        return env != null ? env : System.getenv();
    }

    static void set(Map<String, String> env) {
        if (env == null) OVERRIDE.remove();
        else OVERRIDE.set(env);
    }
}
