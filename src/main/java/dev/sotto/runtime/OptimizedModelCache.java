package dev.sotto.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * ONNX Runtime's graph optimisations, done once per model and machine: the first session
 * saves its optimised graph in ORT format here, and later sessions load that instead of
 * optimising again (the streaming Zipformer's encoder: about 0.23 s to create, 0.13 s from
 * the cache). Only for the CPU provider, and only for models whose weights are inside the
 * .onnx file and under {@value #MAX_MODEL_MB} MB (ORT format holds no external data).
 *
 * <p>A graph optimised at ONNX Runtime's highest level may hold kernels for this CPU's
 * instruction set (ONNX Runtime says so when it saves one), so an entry is keyed by the
 * model file (path, size, modification time), ONNX Runtime's version and build (its
 * providers) and this CPU (model name and feature flags): another machine, a new ONNX Runtime or a changed model makes a
 * new entry, and the stale one of the same file is deleted. An entry that does not load is
 * deleted and the model is opened from its .onnx file again.
 */
public final class OptimizedModelCache {
    private static final Logger LOG = Logger.getLogger(OptimizedModelCache.class.getName());
    static final long MAX_MODEL_MB = 512;
    private static final List<String> EXTERNAL_DATA_SUFFIXES = List.of(".data", ".onnx_data", ".weights", ".bin");

    private final Path dir;

    public OptimizedModelCache(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Where the optimised form of {@code model} is or will be; null when this model is not cached.
     * {@code ortVersion} names the ONNX Runtime that optimises it (version and build).
     */
    Path entry(Path model, String ortVersion) {
        try {
            Path real = model.toRealPath();
            long size = Files.size(real);
            if (size > MAX_MODEL_MB << 20 || hasExternalData(real)) return null;
            String identity = real + "\n" + size + "\n" + Files.getLastModifiedTime(real).toMillis() + "\n"
                    + ortVersion + "\n" + CpuIdentity.VALUE;
            return dir.resolve(prefix(real) + sha256(identity).substring(0, 16) + ".ort");
        } catch (IOException e) {
            return null;
        }
    }

    /** A temporary name beside {@code entry} for ONNX Runtime to write to (moved into place by {@link #publish}). */
    Path temporary(Path entry) throws IOException {
        Files.createDirectories(dir);
        return entry.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + entry.getFileName());
    }

    /** Moves a written entry into place and deletes older entries of the same model file. */
    void publish(Path temporary, Path entry) {
        try {
            if (!Files.isRegularFile(temporary) || Files.size(temporary) == 0) {
                Files.deleteIfExists(temporary);
                return;
            }
            try {
                Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            String samePrefix = entry.getFileName().toString().substring(0, 17);
            try (DirectoryStream<Path> others = Files.newDirectoryStream(dir, samePrefix + "*.ort")) {
                for (Path other : others) {
                    if (!other.equals(entry)) Files.deleteIfExists(other);
                }
            }
        } catch (IOException e) {
            LOG.fine("optimised model cache: could not store " + entry + ": " + e.getMessage());
            discard(temporary);
        }
    }

    /** Deletes an entry (or temporary file) that is unusable. */
    void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.fine("optimised model cache: could not delete " + file + ": " + e.getMessage());
        }
    }

    /** Sixteen hex digits of the model's path, so the entries of one file can be found and replaced. */
    private static String prefix(Path real) {
        return sha256(real.toString()).substring(0, 16) + "-";
    }

    private static boolean hasExternalData(Path model) throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(model.getParent())) {
            for (Path p : siblings) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (EXTERNAL_DATA_SUFFIXES.stream().anyMatch(name::endsWith)) return true;
            }
        }
        return false;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** This CPU as the kernels ONNX Runtime picks see it: model name and feature flags (Linux), else the architecture. */
    private static final class CpuIdentity {
        static final String VALUE = read();

        private static String read() {
            String arch = System.getProperty("os.arch") + " " + System.getProperty("os.name");
            try {
                StringBuilder id = new StringBuilder(arch);
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                    if (line.isBlank()) break;   // the first processor says it for all
                    String key = line.split(":", 2)[0].strip();
                    if (key.equals("model name") || key.equals("flags") || key.equals("Features")
                            || key.equals("vendor_id") || key.equals("CPU part")) {
                        id.append('\n').append(line.strip());
                    }
                }
                return id.toString();
            } catch (IOException | RuntimeException e) {
                return arch;
            }
        }
    }
}
