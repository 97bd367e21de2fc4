package dev.sotto.models;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Unpacks a model archive into a fresh directory, refusing anything a model does not need
 * and an attacker would: absolute paths, {@code ..}, symbolic and hard links, devices,
 * duplicate names, more than {@link Limits#maxEntries} entries, or more bytes than
 * {@link Limits#maxBytes} (a decompression bomb). Only regular files and directories are
 * written, each checked to resolve under the destination. Entries outside the archive's top
 * directory (macOS {@code ._} metadata) are skipped.
 */
final class ArchiveExtractor {
    /**
     * @param maxBytes   what the archive may expand to (a multiple of its size)
     * @param spaceBytes what the disk can take before it is full (refused as "disk full", not as a bomb)
     */
    record Limits(long maxBytes, long spaceBytes, int maxEntries) {
        /** Model archives hold compressed weights (1.1-2x); 20x the archive only a bomb reaches. */
        static Limits forArchive(long archiveBytes, long spaceBytes) {
            return new Limits(Math.max(64L << 20, 20 * archiveBytes), spaceBytes, 100_000);
        }
    }

    /** The disk filled up (or would) while unpacking. */
    static final class DiskFull extends IOException {
        DiskFull(String message) {
            super(message);
        }
    }

    private final String label;
    private final Path destination;
    private final Limits limits;
    private final List<FileDigest> written = new ArrayList<>();
    private long total;
    private long declared;
    private int entries;

    private ArchiveExtractor(String label, Path destination, Limits limits) {
        this.label = label;
        this.destination = destination.normalize();
        this.limits = limits;
    }

    /**
     * Unpacks {@code archive} into {@code destination} (which must exist), dropping the top
     * directory {@code root} (null: keep every path as it is). Returns the files written,
     * with paths relative to {@code destination}.
     */
    static List<FileDigest> extract(Path archive, ArchiveFormat format, String root, Path destination, Limits limits,
                                    String label) throws IOException {
        ArchiveExtractor x = new ArchiveExtractor(label, destination, limits);
        if (format == ArchiveFormat.ZIP) x.zip(archive, root);
        else x.tar(archive, format, root);
        if (x.written.isEmpty()) {
            throw new UnsafeArchive(label + ": no files" + (root != null ? " under " + root + "/" : "")
                    + ": not the archive the catalogue describes; nothing was installed");
        }
        return Collections.unmodifiableList(x.written);
    }

    private void tar(Path archive, ArchiveFormat format, String root) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             InputStream data = switch (format) {
                 case TAR_BZ2 -> new BZip2CompressorInputStream(raw, true);
                 case TAR_GZ -> new GZIPInputStream(raw, 1 << 16);
                 default -> raw;
             };
             TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                if (e.isSymbolicLink()) refuse(name, "a symbolic link (to " + e.getLinkName() + "); model archives hold plain files only");
                if (e.isLink()) refuse(name, "a hard link (to " + e.getLinkName() + "); model archives hold plain files only");
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) refuse(name, "a device or pipe");
                if (!e.isDirectory() && !e.isFile()) refuse(name, "not a regular file or directory");
                declare(name, e.getSize());
                accept(name, e.isDirectory(), root, tar);
            }
        }
    }

    private void zip(Path archive, String root) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (e.isUnixSymlink()) refuse(e.getName(), "a symbolic link; model archives hold plain files only");
                declare(e.getName(), e.getSize());
                try (InputStream in = e.isDirectory() ? InputStream.nullInputStream() : zip.getInputStream(e)) {
                    accept(e.getName(), e.isDirectory(), root, in);
                }
            }
        }
    }

    private void accept(String rawName, boolean directory, String root, InputStream in) throws IOException {
        if (++entries > limits.maxEntries()) refuse(rawName, "more than " + limits.maxEntries() + " entries");
        String name = SafePaths.clean(rawName);
        if (name.isEmpty()) return;   // "./"
        String problem = SafePaths.problem(name);
        if (problem != null) refuse(rawName, problem);
        String relative = stripRoot(name, root);
        if (relative == null || isMacMetadata(relative)) return;
        if (relative.isEmpty()) return;   // the root directory itself
        Path target;
        try {
            target = SafePaths.resolve(destination, relative);
        } catch (IllegalArgumentException e) {
            refuse(rawName, e.getMessage());
            return;
        }
        if (directory) {
            Files.createDirectories(target);
            return;
        }
        Files.createDirectories(target.getParent());
        MessageDigest digest = Hashing.sha256();
        long size = 0;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > limits.spaceBytes()) throw new DiskFull(label + ": unpacking needs more space than the disk has");
                if (total > limits.maxBytes()) refuse(rawName, bombMessage());
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            refuse(rawName, "it appears twice");
        }
        written.add(new FileDigest(destination.relativize(target).toString().replace('\\', '/'), size, Hashing.hex(digest)));
    }

    /** The path below {@code root}/, "" for the root itself, or null for an entry outside it. */
    private static String stripRoot(String name, String root) {
        if (root == null) return name;
        if (name.equals(root)) return "";
        return name.startsWith(root + "/") ? name.substring(root.length() + 1) : null;
    }

    private static boolean isMacMetadata(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.startsWith("._") || path.startsWith("__MACOSX/") || file.equals(".DS_Store");
    }

    private void refuse(String entry, String why) {
        throw new UnsafeArchive(label + ": refused: entry '" + entry + "': " + why + "; nothing was installed");
    }

    /** Headers announce sizes: a bomb is refused before it is inflated, skipped entries included. */
    private void declare(String name, long size) {
        if (size > 0) declared += size;
        if (declared > limits.maxBytes()) refuse(name, bombMessage());
    }

    private String bombMessage() {
        return "the archive expands to more than " + Bytes.human(limits.maxBytes())
                + " (20 times its size): a decompression bomb, or not a model archive";
    }
}
