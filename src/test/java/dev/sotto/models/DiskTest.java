package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import dev.sotto.SottoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a cache that cannot be written: a clear error, nothing half-written. The
 * free space Sotto sees is played by a stand-in (a quota), and where the test may mount
 * file systems (as root), also by a real 1 MB tmpfs and a read-only one.
 */
class DiskTest {
    @TempDir
    Path tmp;
    ModelsFixture fx;
    Path mounted;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
        fx.whisperHf("whisper-tiny");   // 4 MB of plain files
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
        if (mounted != null) run("umount", mounted.toString());
    }

    @Test
    void tooLittleFreeSpaceIsRefusedBeforeDownloading() throws Exception {
        ModelSettings quota = fx.settings().withDiskSpace(dir -> ModelCache.RESERVE + 1_000_000);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(quota).pull("whisper-tiny", false, false));
        assertTrue(e.getMessage().startsWith("not enough disk space in " + fx.home), e.getMessage());
        assertTrue(e.getMessage().contains("SOTTO_HOME"), e.getMessage());
        assertEquals(List.of(), fx.server.requests(), "nothing was downloaded");
        assertFalse(Files.exists(fx.home.resolve("models/whisper-tiny")));
    }

    @Test
    void aDiskThatFillsUpWhileUnpackingInstallsNothingAndKeepsTheDownload() throws Exception {
        byte[] archive = fx.archiveModel("nemo", "nemo-streaming", "nemotron-multilingual/80ms", "sherpa-onnx-nemo",
                ArchiveFormat.TAR_GZ, ".tar.gz");
        // Room for the checks before the download, then (another process filling the disk) 100 kB left.
        AtomicInteger calls = new AtomicInteger();
        ModelSettings filling = fx.settings().withDiskSpace(dir -> calls.getAndIncrement() == 0 ? Long.MAX_VALUE / 2
                : ModelCache.RESERVE + 100_000);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(filling).pull("nemo", false, false));
        assertTrue(e.getMessage().contains("is full while installing nemo"), e.getMessage());
        assertFalse(Files.exists(fx.home.resolve("models/nemo")));
        assertEquals(List.of(), fx.leftovers());
        assertEquals(archive.length, Files.size(fx.home.resolve("downloads/nemo/nemo.tar.gz")), "kept for the next try");
        assertTrue(Verifier.verify(fx.pull().pull("nemo", false, false)).ok(), "installs once there is room");
    }

    @Test
    void aRealFullDiskGivesTheSameClearError() throws Exception {
        Path disk = mount("size=1m");
        ModelSettings settings = new ModelSettings(disk.resolve("home"), fx.catalogue, fx.server.base(), fx.server.base() + "/hf",
                false, Duration.ofSeconds(2), 1, Duration.ofMillis(10), dir -> Long.MAX_VALUE / 2);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(settings).pull("whisper-tiny", false, false));
        assertTrue(e.getMessage().contains("is full"), e.getMessage());
        assertFalse(Files.exists(disk.resolve("home/models/whisper-tiny")));
    }

    @Test
    void aReadOnlyCacheSaysSoAndWritesNothing() throws Exception {
        Path home = readOnlyDirectory();
        ModelSettings settings = new ModelSettings(home, fx.catalogue, fx.server.base(), fx.server.base() + "/hf", false,
                Duration.ofSeconds(2), 1, Duration.ofMillis(10), ModelSettings.DiskSpace.REAL);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(settings).pull("whisper-tiny", false, false));
        assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
        assertTrue(e.getMessage().contains("SOTTO_HOME"), e.getMessage());
        try (var files = Files.list(home)) {
            assertEquals(0, files.count());
        }
        assertEquals(List.of(), fx.server.requests());
    }

    /** An empty directory nobody can write: chmod for other users, a read-only tmpfs for root (who ignores modes). */
    private Path readOnlyDirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(dir) || !canWrite(dir)) return dir;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return mount("ro,size=64k");
    }

    private static boolean canWrite(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve("probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A tmpfs at a fresh directory, or the test is skipped where mounting is not allowed. */
    private Path mount(String options) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()), "cannot mount a tmpfs here (needs root)");
        mounted = dir;
        return dir;
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
