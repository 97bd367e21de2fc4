package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code sotto models unpack FILE.tar}: every file of a bundle is written to a staging
 * directory and checked against the bundle's manifest (size and sha256) before any model is
 * installed; entries that are links, devices, not in the manifest, or whose paths would leave
 * the cache are refused. Then each model is installed with one rename.
 */
public final class BundleUnpacker {
    private final ModelCache cache;
    private final Reporter reporter;

    public BundleUnpacker(ModelSettings settings, Reporter reporter) {
        this.cache = new ModelCache(settings);
        this.reporter = reporter;
    }

    /** Installs the bundle's models; returns their names. {@code force} replaces installed models that differ. */
    public List<String> unpack(Path bundle, boolean force) {
        if (!Files.isRegularFile(bundle)) throw new SottoException(bundle + ": no such bundle file");
        ModelCache.Lock lock = cache.lock("unpacking " + bundle);
        try {
            Path staging = null;
            try {
                staging = cache.newStaging("bundle");
                List<BundleManifest.Model> toInstall = readAndVerify(bundle, staging, force);
                List<String> installed = new ArrayList<>();
                for (BundleManifest.Model m : toInstall) {
                    Path dir = staging.resolve(m.name());
                    Files.createDirectories(dir);
                    new ModelManifest(1, m.name(), Instant.now().toString(), "unpacked from " + bundle.getFileName()
                            + " (originally " + m.source() + ")", m.entry(), m.files()).write(dir);
                }
                for (BundleManifest.Model m : toInstall) {
                    cache.commit(staging.resolve(m.name()), m.name(), true);
                    installed.add(m.name());
                    reporter.info("installed " + m.name() + " in " + cache.directory(m.name()) + " (" + Bytes.human(m.bytes()) + ")");
                }
                return installed;
            } catch (ArchiveExtractor.DiskFull e) {
                throw CacheErrors.diskFull(cache.home(), "unpacking " + bundle, e);
            } catch (IOException e) {
                throw CacheErrors.of(e, cache.home(), "unpacking " + bundle);
            } finally {
                if (staging != null) ModelCache.deleteQuietly(staging);
            }
        } finally {
            lock.close();
        }
    }

    /** The models to install: all of them, but an identical installed copy is kept and a different one needs {@code force}. */
    private List<BundleManifest.Model> plan(BundleManifest manifest, boolean force) {
        List<BundleManifest.Model> out = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (BundleManifest.Model m : manifest.models()) {
            var existing = cache.installed(m.name());
            if (existing.isEmpty()) {
                out.add(m);
            } else if (existing.get().manifest() != null && Set.copyOf(existing.get().manifest().files()).equals(Set.copyOf(m.files()))) {
                reporter.info(m.name() + " is already installed with the same files: kept");
            } else if (force) {
                out.add(m);
            } else {
                conflicts.add(m.name());
            }
        }
        if (!conflicts.isEmpty()) {
            throw new SottoException("already installed with other files: " + String.join(", ", conflicts)
                    + "; nothing was installed. Add --force to replace them");
        }
        return out;
    }

    /**
     * Reads the manifest, decides what to install, then checks every file of the bundle,
     * writing those of the models to install under {@code staging/NAME/}.
     */
    private List<BundleManifest.Model> readAndVerify(Path bundle, Path staging, boolean force) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(bundle), 1 << 20))) {
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null || !first.getName().equals(BundleManifest.ENTRY) || !first.isFile()
                    || first.getSize() > BundleManifest.MAX_BYTES) {
                throw new SottoException(bundle + ": not a Sotto bundle (its first entry must be " + BundleManifest.ENTRY + ")");
            }
            BundleManifest manifest = parse(bundle, tar.readAllBytes());
            Map<String, FileDigest> expected = expectedFiles(bundle, manifest);
            List<BundleManifest.Model> plan = plan(manifest, force);
            Set<String> writing = new HashSet<>();
            plan.forEach(m -> writing.add(m.name()));
            long total = manifest.models().stream().mapToLong(BundleManifest.Model::bytes).sum();
            cache.requireSpace(total, "unpacking " + bundle.getFileName());
            long space = cache.usableBytes() - ModelCache.RESERVE;
            try (Reporter.ByteProgress bar = reporter.progress("unpack", total)) {
                long done = 0;
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    String name = SafePaths.clean(e.getName());
                    if (SafePaths.problem(name) != null) refuse(bundle, e.getName(), SafePaths.problem(name));
                    if (e.isDirectory()) continue;
                    if (!e.isFile() || e.isSymbolicLink() || e.isLink()) {
                        refuse(bundle, e.getName(), "a link or special file" + (e.getLinkName().isEmpty() ? "" : " (to " + e.getLinkName() + ")"));
                    }
                    FileDigest want = expected.remove(name);
                    if (want == null) refuse(bundle, e.getName(), "not listed in the bundle's manifest (or listed twice)");
                    if (e.getSize() != want.size()) refuse(bundle, e.getName(), "its size differs from the manifest's");
                    if ((done += want.size()) > space) throw new ArchiveExtractor.DiskFull(bundle + ": more than the disk can take");
                    String model = name.substring("models/".length(), name.indexOf('/', "models/".length()));
                    Path target = writing.contains(model) ? SafePaths.resolve(staging, name.substring("models/".length())) : null;
                    write(bundle, tar, target, want, e.getName());
                    bar.update(done);
                }
            }
            if (!expected.isEmpty()) {
                throw new UnsafeArchive(bundle + ": incomplete: " + expected.size() + " file(s) of the manifest are missing, e.g. "
                        + expected.keySet().iterator().next() + "; nothing was installed");
            }
            return plan;
        }
    }

    private static BundleManifest parse(Path bundle, byte[] json) {
        try {
            return Json.LENIENT.readValue(json, BundleManifest.class);
        } catch (IOException e) {
            throw new SottoException(bundle + ": damaged bundle manifest: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Entry name → what it must hold; refuses manifests with bad names or paths before a byte is written. */
    private static Map<String, FileDigest> expectedFiles(Path bundle, BundleManifest manifest) {
        if (manifest.format() != 1) throw new SottoException(bundle + ": bundle format " + manifest.format() + " is not 1");
        Map<String, FileDigest> out = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (BundleManifest.Model m : manifest.models()) {
            if (m.name() == null || !Catalogue.NAME.matcher(m.name()).matches() || !names.add(m.name())) {
                throw new UnsafeArchive(bundle + ": refused: bad or repeated model name '" + m.name() + "' in the manifest");
            }
            for (FileDigest f : m.files()) {
                String problem = SafePaths.problem(f.path());
                if (problem == null && f.path().equals(ModelManifest.FILE)) problem = "reserved name";
                if (problem != null) throw new UnsafeArchive(bundle + ": refused: manifest path '" + f.path() + "': " + problem);
                if (f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}") || f.size() < 0) {
                    throw new UnsafeArchive(bundle + ": refused: manifest entry '" + f.path() + "' has no valid size and sha256");
                }
                if (out.put(BundleManifest.entryName(m.name(), f.path()), f) != null) {
                    throw new UnsafeArchive(bundle + ": refused: '" + f.path() + "' appears twice in the manifest");
                }
            }
        }
        if (out.isEmpty()) throw new SottoException(bundle + ": the bundle holds no model files");
        return out;
    }

    /** Copies one entry to {@code target} (null: only check it), verifying its size and sha256. */
    private static void write(Path bundle, InputStream in, Path target, FileDigest want, String entry) throws IOException {
        MessageDigest digest = Hashing.sha256();
        long size = 0;
        if (target != null) Files.createDirectories(target.getParent());
        try (FileChannel channel = target == null ? null
                : FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = channel == null ? OutputStream.nullOutputStream() : Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                if (size > want.size()) refuse(bundle, entry, "longer than the manifest says");
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            if (channel != null) channel.force(true);
        }
        String sha = Hashing.hex(digest);
        if (size != want.size() || !sha.equals(want.sha256())) {
            throw new UnsafeArchive(bundle + ": " + entry + ": sha256 " + sha + " differs from the manifest's " + want.sha256()
                    + ": the bundle is damaged or was altered; nothing was installed");
        }
    }

    private static void refuse(Path bundle, String entry, String why) {
        throw new UnsafeArchive(bundle + ": refused: entry '" + entry + "': " + why + "; nothing was installed");
    }
}
