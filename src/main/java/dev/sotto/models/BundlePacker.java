package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code sotto models pack NAME... --out FILE.tar}: installed models and a manifest of their
 * checksums in one uncompressed tar (the weights do not compress) for a site without network.
 * Each file is checked against its install manifest as it is written; the bundle appears
 * under its name only when complete.
 */
public final class BundlePacker {
    private final ModelCache cache;
    private final Reporter reporter;

    public BundlePacker(ModelSettings settings, Reporter reporter) {
        this.cache = new ModelCache(settings);
        this.reporter = reporter;
    }

    /** Writes the bundle; returns its size in bytes. */
    public long pack(List<String> names, Path out) {
        if (names.isEmpty()) throw new SottoException("models pack: name at least one installed model");
        if (Files.exists(out)) throw new SottoException(out + " already exists: choose another --out or delete it");
        List<BundleManifest.Model> models = new ArrayList<>();
        for (String name : names) models.add(describe(name));
        long bytes = models.stream().mapToLong(BundleManifest.Model::bytes).sum();
        BundleManifest manifest = new BundleManifest(1, Instant.now().toString(), "sotto 0.1.0", models);
        Path partial = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file);
             Reporter.ByteProgress bar = reporter.progress("pack", bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] json = Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            TarArchiveEntry head = new TarArchiveEntry(BundleManifest.ENTRY);
            head.setSize(json.length);
            tar.putArchiveEntry(head);
            tar.write(json);
            tar.closeArchiveEntry();
            long done = 0;
            for (BundleManifest.Model m : models) {
                for (FileDigest f : m.files()) {
                    done = copy(tar, m.name(), f, done, bar);
                }
            }
            tar.finish();
        } catch (IOException e) {
            ModelCache.deleteQuietly(partial);
            throw new SottoException(out + ": cannot write the bundle: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            ModelCache.deleteQuietly(partial);
            throw e;
        }
        try {
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(out);
        } catch (IOException e) {
            throw new SottoException(out + ": cannot write the bundle: " + e.getMessage(), e);
        }
    }

    private BundleManifest.Model describe(String name) {
        InstalledModel m = cache.installed(name).orElseThrow(() -> new SottoException("model '" + name
                + "' is not installed: `sotto models pull " + name + "` first"));
        if (m.manifest() != null) return new BundleManifest.Model(name, m.manifest().source(), m.manifest().entry(), m.manifest().files());
        reporter.info(name + ": no install manifest (a directory put there by hand): packing its files as they are now");
        List<FileDigest> files = new ArrayList<>();
        for (String path : Verifier.files(m.directory())) {
            Path p = m.directory().resolve(path);
            try {
                files.add(new FileDigest(path, Files.size(p), Hashing.sha256(p)));
            } catch (IOException e) {
                throw new SottoException(p + ": unreadable: " + e.getMessage(), e);
            }
        }
        return new BundleManifest.Model(name, "a directory installed by hand", null, files);
    }

    private long copy(TarArchiveOutputStream tar, String model, FileDigest f, long done, Reporter.ByteProgress bar)
            throws IOException {
        Path file = cache.directory(model).resolve(f.path());
        if (!Files.isRegularFile(file) || Files.size(file) != f.size()) throw changed(model, f);
        TarArchiveEntry e = new TarArchiveEntry(BundleManifest.entryName(model, f.path()));
        e.setSize(f.size());
        tar.putArchiveEntry(e);
        MessageDigest digest = Hashing.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                tar.write(buffer, 0, n);
                bar.update(done += n);
            }
        }
        tar.closeArchiveEntry();
        if (!Hashing.hex(digest).equals(f.sha256())) throw changed(model, f);
        return done;
    }

    private static SottoException changed(String model, FileDigest f) {
        return new SottoException(model + "/" + f.path() + " changed since it was installed: nothing was packed. "
                + "`sotto models verify " + model + "` lists the damage; `sotto models pull --force " + model + "` repairs it");
    }
}
