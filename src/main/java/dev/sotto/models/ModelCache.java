package dev.sotto.models;

import dev.sotto.SottoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The model cache under {@code SOTTO_HOME}: {@code models/NAME/} (one directory per installed
 * model), {@code downloads/NAME/} (files being downloaded, kept across runs so downloads
 * resume) and {@code checksums.json} (sums recorded at first download). A model directory
 * only ever appears by one rename of a complete staging directory ({@code models/.staging-*}),
 * so a crash leaves either the old model, the new one, or a staging directory the next
 * install sweeps away; never a half-written model.
 */
public final class ModelCache {
    private static final String STAGING = ".staging-";
    private static final String RETIRED = ".retired-";
    /** Room left free on the disk, so the cache never fills it to the last byte. */
    static final long RESERVE = 64L << 20;
    private final ModelSettings settings;

    public ModelCache(ModelSettings settings) {
        this.settings = settings;
    }

    public Path home() {
        return settings.home();
    }

    public Path modelsDir() {
        return home().resolve("models");
    }

    Path downloadsDir(String name) {
        return home().resolve("downloads").resolve(checkName(name));
    }

    /** Where the model called {@code name} lives (whether it is installed or not). */
    public Path directory(String name) {
        return modelsDir().resolve(checkName(name));
    }

    public Optional<InstalledModel> installed(String name) {
        if (!Catalogue.NAME.matcher(name).matches()) return Optional.empty();
        Path dir = directory(name);
        if (!Files.isDirectory(dir)) return Optional.empty();
        return Optional.of(new InstalledModel(name, dir, ModelManifest.read(dir)));
    }

    /** Every model directory in the cache, by name. */
    public List<InstalledModel> installedModels() {
        if (!Files.isDirectory(modelsDir())) return List.of();
        List<InstalledModel> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(modelsDir())) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = d.getFileName().toString();
                if (!name.startsWith(".")) installed(name).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new SottoException(modelsDir() + ": cannot list the installed models: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Holds the cache for one install or removal, so two Sottos never write the same model;
     * also sweeps what an interrupted earlier run left behind.
     */
    Lock lock(String doing) {
        try {
            Files.createDirectories(modelsDir());
            FileChannel channel = FileChannel.open(home().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new SottoException("another Sotto is installing or removing models in " + home()
                        + " (it holds " + home().resolve(".lock") + "): wait for it to finish, then run this again");
            }
            sweep();
            return new Lock(channel, lock);
        } catch (IOException e) {
            throw CacheErrors.of(e, home(), doing);
        }
    }

    /** The cache lock; closing it releases it. */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }

    /** A new, empty staging directory beside the models (same file system, so the final rename is atomic). */
    Path newStaging(String name) throws IOException {
        Files.createDirectories(modelsDir());
        return Files.createDirectory(modelsDir().resolve(STAGING + name + "-" + UUID.randomUUID()));
    }

    /**
     * Makes the complete directory {@code staged} the model {@code name}: one rename, or, to
     * replace an installed model, two (the old one is moved aside first and deleted after).
     */
    void commit(Path staged, String name, boolean replace) throws IOException {
        Path target = directory(name);
        if (!Files.exists(target)) {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        if (!replace) throw new SottoException("model '" + name + "' is already installed in " + target);
        Path old = modelsDir().resolve(RETIRED + name + "-" + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        deleteTree(old);
    }

    /** Removes an installed model: renamed aside first, so no half-deleted directory is ever visible under its name. */
    public void remove(String name) {
        Path target = directory(name);
        if (!Files.isDirectory(target)) throw new SottoException("model '" + name + "' is not installed (" + target + ")");
        Lock lock = lock("removing " + name);
        try {
            Path old = modelsDir().resolve(RETIRED + name + "-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
            deleteTree(downloadsDir(name));
        } catch (IOException e) {
            throw CacheErrors.of(e, home(), "removing " + name);
        } finally {
            lock.close();
        }
    }

    /** Fails early, with the sizes, when the disk cannot take {@code bytes} more. */
    void requireSpace(long bytes, String doing) {
        long usable = usableBytes();
        if (bytes + RESERVE > usable) {
            throw new SottoException("not enough disk space in " + home() + " for " + doing + ": it needs about "
                    + Bytes.human(bytes) + " and " + Bytes.human(Math.max(0, usable - RESERVE)) + " is free (keeping "
                    + Bytes.human(RESERVE) + " spare). Free some space, or set SOTTO_HOME to a larger disk");
        }
    }

    long usableBytes() {
        try {
            Path dir = home();
            while (dir != null && !Files.exists(dir)) dir = dir.getParent();
            return settings.diskSpace().usableBytes(dir == null ? Path.of(".") : dir);
        } catch (IOException e) {
            return Long.MAX_VALUE;   // unknown: let the write itself tell
        }
    }

    private void sweep() throws IOException {
        try (Stream<Path> dirs = Files.list(modelsDir())) {
            for (Path d : dirs.toList()) {
                String n = d.getFileName().toString();
                if (n.startsWith(STAGING) || n.startsWith(RETIRED)) deleteTree(d);
            }
        }
    }

    static String checkName(String name) {
        if (name == null || !Catalogue.NAME.matcher(name).matches()) {
            throw new SottoException("'" + name + "' is not a model name (lower-case letters, digits, '.', '_', '-')");
        }
        return name;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes quietly: for cleaning up after a failure that is already being reported. */
    static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            // the next install's sweep removes what is left
        }
    }
}
