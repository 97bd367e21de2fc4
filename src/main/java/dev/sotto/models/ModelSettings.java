package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where models live and how they are fetched, from the environment:
 * {@code SOTTO_HOME} (default {@code ~/.sotto}), {@code SOTTO_MODEL_CATALOG} (another catalogue
 * file), {@code SOTTO_MODEL_MIRROR} (a mirror of every download URL, see {@link Mirrors}),
 * {@code SOTTO_HF_ENDPOINT} (a Hugging Face mirror), {@code SOTTO_OFFLINE=1} (never touch the
 * network) and {@code SOTTO_DOWNLOAD_STALL_SECONDS} (how long a silent connection is given).
 */
public record ModelSettings(Path home, Path catalogueFile, String mirror, String hfEndpoint, boolean offline,
                            Duration stallTimeout, int attempts, Duration retryDelay, DiskSpace diskSpace) {

    /** Free space where the cache is; a function so tests can play a nearly full disk. */
    @FunctionalInterface
    public interface DiskSpace {
        long usableBytes(Path dir) throws IOException;

        DiskSpace REAL = dir -> Files.getFileStore(dir).getUsableSpace();
    }

    public static ModelSettings fromEnvironment(Map<String, String> env) {
        String home = env.get("SOTTO_HOME");
        Path homeDir = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".sotto");
        String catalogue = env.get("SOTTO_MODEL_CATALOG");
        return new ModelSettings(homeDir.toAbsolutePath().normalize(),
                catalogue != null && !catalogue.isBlank() ? Path.of(catalogue).toAbsolutePath() : null,
                blankToNull(env.get("SOTTO_MODEL_MIRROR")), blankToNull(env.get("SOTTO_HF_ENDPOINT")),
                isTrue(env.get("SOTTO_OFFLINE")), Duration.ofSeconds(seconds(env.get("SOTTO_DOWNLOAD_STALL_SECONDS"))),
                3, Duration.ofSeconds(2), DiskSpace.REAL);
    }

    public ModelSettings withOffline(boolean value) {
        return new ModelSettings(home, catalogueFile, mirror, hfEndpoint, value, stallTimeout, attempts, retryDelay, diskSpace);
    }

    public ModelSettings withRetries(int tries, Duration delay) {
        return new ModelSettings(home, catalogueFile, mirror, hfEndpoint, offline, stallTimeout, tries, delay, diskSpace);
    }

    public ModelSettings withStallTimeout(Duration value) {
        return new ModelSettings(home, catalogueFile, mirror, hfEndpoint, offline, value, attempts, retryDelay, diskSpace);
    }

    public ModelSettings withDiskSpace(DiskSpace value) {
        return new ModelSettings(home, catalogueFile, mirror, hfEndpoint, offline, stallTimeout, attempts, retryDelay, value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static boolean isTrue(String s) {
        return s != null && switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    private static long seconds(String s) {
        if (s == null || s.isBlank()) return 60;
        try {
            long n = Long.parseLong(s.strip());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SottoException("SOTTO_DOWNLOAD_STALL_SECONDS=" + s + ": write a positive number of seconds (default 60)");
    }
}
