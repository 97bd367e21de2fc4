package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sotto models pull NAME}: downloads a catalogue model's files (resuming what an earlier
 * run left), checks every sha256, unpacks them into a staging directory and installs that with
 * one rename. Whatever fails (network, checksum, a hostile archive, a full or read-only disk),
 * no model directory appears or changes.
 */
public final class ModelPull {
    private final ModelSettings settings;
    private final Catalogue catalogue;
    private final Reporter reporter;
    private final ModelCache cache;
    private final Mirrors mirrors;
    private final TrustedChecksums trusted;

    public ModelPull(ModelSettings settings, Catalogue catalogue, Reporter reporter) {
        this.settings = settings;
        this.catalogue = catalogue;
        this.reporter = reporter;
        this.cache = new ModelCache(settings);
        this.mirrors = new Mirrors(settings);
        this.trusted = new TrustedChecksums(settings.home());
    }

    /**
     * Installs {@code name} unless it is already installed ({@code force}: install it again).
     * {@code acceptNewChecksum}: a file whose sum differs from the one recorded at its first
     * download is accepted and recorded (the publisher replaced it, and you know).
     */
    public InstalledModel pull(String name, boolean force, boolean acceptNewChecksum) {
        CatalogueEntry entry = catalogue.require(name);
        Optional<InstalledModel> existing = cache.installed(name);
        if (existing.isPresent() && !force) {
            reporter.info(name + " is already installed in " + existing.get().directory() + " (--force installs it again)");
            return existing.get();
        }
        if (!entry.runs()) reporter.info(name + ": Sotto cannot run this model yet (" + entry.notes() + "); installing it anyway");
        ModelCache.Lock lock = cache.lock("installing " + name);
        try {
            List<Fetched> files = fetch(entry, acceptNewChecksum);
            InstalledModel installed = install(entry, files, force);
            ModelCache.deleteQuietly(cache.downloadsDir(name));
            reporter.info("installed " + name + " in " + installed.directory() + " (" + Bytes.human(installed.manifest().bytes()) + ")");
            return installed;
        } finally {
            lock.close();
        }
    }

    /** A downloaded file whose sha256 has been checked. */
    private record Fetched(Path file, String sha256) {
    }

    private List<Fetched> fetch(CatalogueEntry entry, boolean acceptNewChecksum) {
        Path downloads = cache.downloadsDir(entry.name());
        List<CatalogueFile> missing = entry.files().stream()
                .filter(f -> !Files.isRegularFile(downloads.resolve(f.downloadName()))).toList();
        if (settings.offline() && !missing.isEmpty()) {
            throw new SottoException(OfflineHelp.message(entry, "offline mode is on (--offline or SOTTO_OFFLINE)", downloads, mirrors));
        }
        long toDownload = missing.stream().mapToLong(f -> f.size() == null ? 0 : f.size()).sum();
        cache.requireSpace(toDownload + entry.knownBytes(), "installing " + entry.name());
        List<Fetched> out = new ArrayList<>();
        Downloader downloader = new Downloader(settings, cache, reporter);
        int i = 0;
        for (CatalogueFile f : entry.files()) {
            i++;
            Path target = downloads.resolve(f.downloadName());
            if (!Files.isRegularFile(target)) {
                reporter.info("downloading " + mirrors.effective(f.url()) + (f.size() != null ? " (" + Bytes.human(f.size()) + ")" : ""));
            }
            try {
                downloader.download(mirrors.effective(f.url()), target, f.size() == null ? -1 : f.size(),
                        entry.name() + " " + i + "/" + entry.files().size());
            } catch (NetworkUnavailable e) {
                throw new SottoException(OfflineHelp.message(entry, e.getMessage(), downloads, mirrors), e);
            }
            out.add(new Fetched(target, check(entry, f, target, acceptNewChecksum)));
        }
        return out;
    }

    /** The sha256 the catalogue gives, else the one recorded at first download, else record this one. */
    private String check(CatalogueEntry entry, CatalogueFile f, Path file, boolean acceptNew) {
        try {
            String actual = Hashing.sha256(file);
            long size = Files.size(file);
            if (f.sha256() != null) {
                if (f.sha256().equals(actual)) return actual;
                Files.deleteIfExists(file);
                throw new SottoException(f.url() + ": sha256 mismatch: expected " + f.sha256() + " (" + f.sha256From()
                        + "), got " + actual + " (" + Bytes.human(size) + "). The download was deleted and " + entry.name()
                        + " was not installed: a mirror serving other bytes, a damaged transfer, or a file the publisher replaced");
            }
            Optional<TrustedChecksums.Recorded> recorded = trusted.get(f.url());
            if (recorded.isPresent() && recorded.get().sha256().equals(actual)) return actual;
            if (recorded.isPresent() && !acceptNew) {
                Files.deleteIfExists(file);
                throw new SottoException(f.url() + ": sha256 " + actual + " differs from " + recorded.get().sha256()
                        + ", recorded at its first download (" + recorded.get().firstSeen() + ", " + trusted.file()
                        + "). The download was deleted and " + entry.name() + " was not installed. If you know the publisher "
                        + "replaced the file, run `sotto models pull " + entry.name() + " --accept-new-checksum`");
            }
            trusted.record(f.url(), actual, size);
            reporter.info(f.url() + ": " + (recorded.isPresent() ? "accepted the new sha256 " : "no published checksum: recorded the sha256 seen at this first download, ")
                    + actual + ", in " + trusted.file() + "; later downloads must match it");
            return actual;
        } catch (IOException e) {
            throw CacheErrors.of(e, cache.home(), "checking " + file);
        }
    }

    private InstalledModel install(CatalogueEntry entry, List<Fetched> files, boolean force) {
        Path staging = null;
        Path current = null;
        List<Path[]> moved = new ArrayList<>();
        try {
            staging = cache.newStaging(entry.name());
            long space = cache.usableBytes() - ModelCache.RESERVE;
            List<FileDigest> digests = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                CatalogueFile f = entry.files().get(i);
                current = files.get(i).file();
                if (f.isArchive()) {
                    String into = f.intoOrTop();
                    Path dir = into.isEmpty() ? staging : SafePaths.resolve(staging, into);
                    Files.createDirectories(dir);
                    List<FileDigest> unpacked = ArchiveExtractor.extract(current, f.format(), f.root(), dir,
                            ArchiveExtractor.Limits.forArchive(Files.size(current), space), f.fileName());
                    for (FileDigest d : unpacked) {
                        digests.add(new FileDigest(into.isEmpty() ? d.path() : into + "/" + d.path(), d.size(), d.sha256()));
                        space -= d.size();
                    }
                } else {
                    Path target = SafePaths.resolve(staging, f.path());
                    Files.createDirectories(target.getParent());
                    String sha = files.get(i).sha256();
                    long size = Files.size(current);
                    Files.move(current, target, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(new Path[] {target, current});
                    digests.add(new FileDigest(f.path(), size, sha));
                }
            }
            new ModelManifest(1, entry.name(), Instant.now().toString(), "pulled from " + mirrors.describe(), entry, digests)
                    .write(staging);
            cache.commit(staging, entry.name(), force);
            return cache.installed(entry.name()).orElseThrow();
        } catch (UnsafeArchive e) {
            undo(staging, moved);
            if (current != null) ModelCache.deleteQuietly(current);   // a hostile archive is not worth resuming
            throw e;
        } catch (ArchiveExtractor.DiskFull e) {
            undo(staging, moved);
            throw CacheErrors.diskFull(cache.home(), "installing " + entry.name(), e);
        } catch (IOException e) {
            undo(staging, moved);
            throw CacheErrors.of(e, cache.home(), "installing " + entry.name());
        } catch (RuntimeException e) {
            undo(staging, moved);
            throw e;
        }
    }

    /** Puts plain files back where a next pull finds them and drops the staging directory. */
    private static void undo(Path staging, List<Path[]> moved) {
        for (Path[] m : moved) {
            try {
                Files.move(m[0], m[1], StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // it is downloaded again next time
            }
        }
        if (staging != null) ModelCache.deleteQuietly(staging);
    }
}
