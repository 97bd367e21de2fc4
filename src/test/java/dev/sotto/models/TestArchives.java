package dev.sotto.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Archives in the layouts publishers ship (sherpa-onnx: {@code tar cjf NAME.tar.bz2 NAME/}),
 * made at test time from the synthetic models, and hostile ones made by hand.
 */
final class TestArchives {
    private TestArchives() {
    }

    /** One entry of a hand-made archive. */
    record Entry(String name, byte[] data, char type, String link) {
        static Entry file(String name, byte[] data) {
            return new Entry(name, data, 'f', null);
        }

        static Entry file(String name, String text) {
            return file(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Entry dir(String name) {
            return new Entry(name, new byte[0], 'd', null);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, new byte[0], 's', target);
        }

        static Entry hardlink(String name, String target) {
            return new Entry(name, new byte[0], 'h', target);
        }
    }

    /** {@code dir}'s files under the top directory {@code root}, as the format's bytes. */
    static byte[] of(Path dir, String root, ArchiveFormat format) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Entry> entries = new java.util.ArrayList<>();
            entries.add(Entry.dir(root + "/"));
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                entries.add(Entry.file(root + "/" + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
            }
            return build(format, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] build(ArchiveFormat format, List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (format == ArchiveFormat.ZIP) {
                zip(bytes, entries);
            } else {
                try (OutputStream compressed = switch (format) {
                    case TAR_BZ2 -> new BZip2CompressorOutputStream(bytes);
                    case TAR_GZ -> new GZIPOutputStream(bytes);
                    default -> bytes;
                }) {
                    tar(compressed, entries);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void tar(OutputStream out, List<Entry> entries) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Entry e : entries) {
            TarArchiveEntry t = switch (e.type()) {
                case 's' -> {
                    TarArchiveEntry l = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
                    l.setLinkName(e.link());
                    yield l;
                }
                case 'h' -> {
                    TarArchiveEntry l = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_LINK);
                    l.setLinkName(e.link());
                    yield l;
                }
                default -> new TarArchiveEntry(e.name(), true);   // preserve the name as given, ".." and "/" included
            };
            if (e.type() == 'd') t = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/", true);
            if (e.type() == 'f') t.setSize(e.data().length);
            tar.putArchiveEntry(t);
            if (e.type() == 'f') tar.write(e.data());
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    private static void zip(OutputStream out, List<Entry> entries) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Entry e : entries) {
                ZipArchiveEntry z = new ZipArchiveEntry(e.type() == 'd' && !e.name().endsWith("/") ? e.name() + "/" : e.name());
                byte[] data = e.type() == 's' ? e.link().getBytes(java.nio.charset.StandardCharsets.UTF_8) : e.data();
                if (e.type() == 's') z.setUnixMode(0120777);
                zip.putArchiveEntry(z);
                zip.write(data);
                zip.closeArchiveEntry();
            }
        }
    }

    /** {@code n} zero bytes: compresses about a thousandfold. */
    static byte[] zeros(int n) {
        return new byte[n];
    }
}
