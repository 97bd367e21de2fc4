package dev.sotto.spark;

import dev.sotto.SottoException;
import dev.sotto.models.ModelResolver;
import dev.sotto.models.ModelSettings;
import dev.sotto.models.Reporter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Where an executor finds the model: the driver's directory when this machine sees it too
 * (shared storage, or local mode); else a copy shipped with {@code --files}/{@code --archives}
 * under the model directory's name ({@code --archives zipformer.tgz#zipformer-gigaspeech-3.3m}, the archive
 * holding the model's files at its top);
 * else, for a model name, this machine's model cache (pulled on first use, as the CLI does).
 */
final class ModelLocation {
    private ModelLocation() {
    }

    static Path resolve(ModelSpec spec) {
        Path driver = existing(spec.driverPath());
        if (driver != null) return driver;
        String name = spec.driverPath() == null ? spec.argument() : lastName(spec.driverPath());
        Path shipped = shipped(name);
        if (shipped == null && !name.equals(lastName(spec.argument()))) shipped = shipped(lastName(spec.argument()));
        if (shipped != null) return shipped;
        Path given = existing(spec.argument());
        if (given != null) return given;
        try {
            return new ModelResolver(ModelSettings.fromEnvironment(System.getenv()), Reporter.SILENT).resolve(spec.argument());
        } catch (SottoException e) {
            throw new SottoException("model " + spec.argument() + " is not on this executor (" + host() + "): "
                    + e.getMessage() + ". Put the model directory on storage every executor mounts, or ship it with "
                    + "--archives MODEL.tgz#" + name, e);
        }
    }

    /** A file or directory shipped with --files/--archives: in SparkFiles' directory, or the working directory (YARN). */
    private static Path shipped(String name) {
        if (name == null || name.isEmpty()) return null;
        try {
            Path p = existing(SparkFiles.get(name));
            if (p != null) return p;
        } catch (RuntimeException e) {
            // no SparkContext here (a plain JVM): only the working directory is left
        }
        Path cwd = existing(name);
        return cwd;
    }

    private static Path existing(String path) {
        if (path == null) return null;
        try {
            Path p = Path.of(path);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String lastName(String path) {
        if (path == null) return null;
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown host";
        }
    }
}
