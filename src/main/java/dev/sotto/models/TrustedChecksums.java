package dev.sotto.models;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Trust on first download, for files whose publisher gives no checksum: the sha256 seen the
 * first time a URL was downloaded is recorded in {@code SOTTO_HOME/checksums.json}, keyed by
 * the catalogue URL (not the mirror's), and every later download of that URL must match it.
 */
final class TrustedChecksums {
    record Recorded(String sha256, long size, String firstSeen) {
    }

    private final Path file;

    TrustedChecksums(Path home) {
        this.file = home.resolve("checksums.json");
    }

    Path file() {
        return file;
    }

    Optional<Recorded> get(String url) {
        return Optional.ofNullable(read().get(url));
    }

    void record(String url, String sha256, long size) throws IOException {
        Map<String, Recorded> all = read();
        all.put(url, new Recorded(sha256, size, Instant.now().toString()));
        write(all);
    }

    void forget(String url) throws IOException {
        Map<String, Recorded> all = read();
        if (all.remove(url) != null) write(all);
    }

    private Map<String, Recorded> read() {
        if (!Files.isRegularFile(file)) return new TreeMap<>();
        try {
            return Json.LENIENT.readValue(file.toFile(), new TypeReference<TreeMap<String, Recorded>>() {
            });
        } catch (IOException e) {
            throw new SottoException(file + ": unreadable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); it holds the checksums recorded at first download: fix it or delete it", e);
        }
    }

    /** Written beside and renamed over, so a crash never leaves half a file. */
    private void write(Map<String, Recorded> all) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
