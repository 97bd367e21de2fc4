package dev.sotto.spark;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * One manifest entry opened for decoding. Local paths and {@code file:} URIs are read in place;
 * any other scheme ({@code hdfs://}, {@code s3a://}, whatever Hadoop's FileSystem the cluster
 * configures) is copied to a local temporary file first, deleted on close: FFmpeg seeks in
 * most containers, which a Hadoop stream cannot do cheaply, and the copy costs one sequential read.
 */
final class AudioInput implements AutoCloseable {
    private final AudioDecoder decoder;
    private final Path temporary;

    private AudioInput(AudioDecoder decoder, Path temporary) {
        this.decoder = decoder;
        this.temporary = temporary;
    }

    AudioDecoder decoder() {
        return decoder;
    }

    /** Opens {@code file}; fails with a {@link SottoException} naming it when it cannot be read or is not audio. */
    static AudioInput open(String file, Map<String, String> hadoopConf) {
        Path local = localPath(file);
        if (local != null) return new AudioInput(AudioDecoder.open(local, file), null);
        Path copy = copyToLocal(file, hadoopConf);
        try {
            return new AudioInput(AudioDecoder.open(copy, file), copy);
        } catch (RuntimeException e) {
            delete(copy);
            throw e;
        }
    }

    /** The local file {@code file} names (a path, or a file: URI), or null for a remote URI. */
    static Path localPath(String file) {
        int colon = file.indexOf(':');
        boolean hasScheme = colon > 1 && file.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
        if (!hasScheme) return Path.of(file);
        if (!file.regionMatches(true, 0, "file:", 0, 5)) return null;
        try {
            return Path.of(new URI(file.replace(" ", "%20")));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SottoException(file + ": not a valid file: URI (" + e.getMessage() + ")");
        }
    }

    /** Copies a Hadoop FileSystem file to a local temporary file. */
    static Path copyToLocal(String uri, Map<String, String> hadoopConf) {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        Path copy = null;
        try {
            FileSystem fs = path.getFileSystem(conf);
            String name = path.getName();
            int dot = name.lastIndexOf('.');
            copy = Files.createTempFile("sotto-input-", dot > 0 ? name.substring(dot) : "");
            try (InputStream in = fs.open(path)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (java.io.FileNotFoundException e) {
            delete(copy);
            throw new SottoException(uri + ": no such file");
        } catch (IOException | RuntimeException e) {
            delete(copy);
            throw new SottoException(uri + ": cannot read it through Hadoop's FileSystem: " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            p.toFile().deleteOnExit();
        }
    }

    @Override
    public void close() {
        try {
            decoder.close();
        } finally {
            delete(temporary);
        }
    }
}
