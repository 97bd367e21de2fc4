package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.models.TestArchives.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archives that try to write outside the model directory, plant links, or expand without
 * bound: each is refused, nothing is written outside, nothing is installed, and the
 * download is dropped (it is not worth resuming).
 */
class HostileArchivesTest {
    static final String ROOT = "sherpa-onnx-evil";

    @TempDir
    Path tmp;
    ModelsFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** Pulls a model made of {@code entries}; returns the refusal. */
    UnsafeArchive refused(ArchiveFormat format, List<Entry> entries) throws Exception {
        String suffix = switch (format) {
            case TAR_BZ2 -> ".tar.bz2";
            case TAR_GZ -> ".tar.gz";
            case TAR -> ".tar";
            case ZIP -> ".zip";
        };
        String url = fx.rawArchive("evil", TestArchives.build(format, entries), ROOT, suffix);
        UnsafeArchive e = assertThrows(UnsafeArchive.class, () -> fx.pull().pull("evil", false, false));
        assertTrue(e.getMessage().contains("nothing was installed"), e.getMessage());
        assertFalse(Files.exists(fx.home.resolve("models/evil")));
        assertEquals(List.of(), fx.leftovers(), "no staging directory left");
        assertFalse(Files.exists(fx.home.resolve("downloads/evil").resolve(url.substring(url.lastIndexOf('/') + 1))));
        assertFalse(Files.exists(tmp.resolve("escaped")), "nothing written outside the cache");
        assertFalse(Files.exists(fx.home.resolve("escaped")));
        assertFalse(Files.exists(fx.home.resolve("models/escaped")));
        return e;
    }

    static Entry ok() {
        return Entry.file(ROOT + "/tokens.txt", "a 0\n");
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveFormat.class, names = {"TAR_BZ2", "TAR_GZ", "ZIP"})
    void dotDotPathsAreRefused(ArchiveFormat format) throws Exception {
        UnsafeArchive e = refused(format, List.of(ok(), Entry.file(ROOT + "/../../../escaped", "x")));
        assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveFormat.class, names = {"TAR_GZ", "ZIP"})
    void absolutePathsAreRefused(ArchiveFormat format) throws Exception {
        UnsafeArchive e = refused(format, List.of(ok(), Entry.file(tmp.resolve("escaped").toString(), "x")));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveFormat.class, names = {"TAR_BZ2", "ZIP"})
    void symbolicLinksOutAreRefused(ArchiveFormat format) throws Exception {
        // The classic: a link to a directory outside, then a file written through it.
        UnsafeArchive e = refused(format, List.of(ok(), Entry.symlink(ROOT + "/out", tmp.toString()),
                Entry.file(ROOT + "/out/escaped", "x")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void hardLinksAreRefused() throws Exception {
        UnsafeArchive e = refused(ArchiveFormat.TAR_GZ, List.of(ok(), Entry.hardlink(ROOT + "/passwd", "/etc/passwd")));
        assertTrue(e.getMessage().contains("hard link"), e.getMessage());
    }

    @Test
    void anEntryTwiceIsRefused() throws Exception {
        UnsafeArchive e = refused(ArchiveFormat.TAR, List.of(ok(), Entry.file(ROOT + "/tokens.txt", "b 0\n")));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveFormat.class, names = {"TAR_BZ2", "TAR_GZ", "ZIP"})
    void aDecompressionBombIsStoppedAtTwentyTimesTheArchive(ArchiveFormat format) throws Exception {
        // 70 MB of zeros compress to well under 1 MB: the limit is max(64 MB, 20 x the archive).
        UnsafeArchive e = refused(format, List.of(ok(), Entry.file(ROOT + "/encoder.onnx", TestArchives.zeros(70_000_000))));
        assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
    }

    @Test
    void anArchiveWithoutTheExpectedTopDirectoryIsNotTheModel() throws Exception {
        UnsafeArchive e = refused(ArchiveFormat.TAR_GZ, List.of(Entry.file("something-else/tokens.txt", "a 0\n")));
        assertTrue(e.getMessage().contains("not the archive the catalogue describes"), e.getMessage());
    }

    @Test
    void macMetadataBesideTheModelIsSkipped() throws Exception {
        fx.rawArchive("mac", TestArchives.build(ArchiveFormat.TAR_BZ2, List.of(Entry.file("._" + ROOT, "xattr"), ok(),
                Entry.file(ROOT + "/._tokens.txt", "xattr"))), ROOT, ".tar.bz2");
        InstalledModel m = fx.pull().pull("mac", false, false);
        assertEquals(List.of("tokens.txt"), m.manifest().files().stream().map(FileDigest::path).toList());
    }

    @Test
    void pathsAreCheckedOneByOne() {
        assertEquals(null, SafePaths.problem("80ms/encoder.int8.onnx"));
        for (String bad : List.of("", "/etc/passwd", "a/../../b", "..", "a//b", "./a", "C:/x", "a\\..\\b", "a\0b")) {
            assertTrue(SafePaths.problem(bad) != null, bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SafePaths.resolve(tmp, "a/../../b"));
    }
}
