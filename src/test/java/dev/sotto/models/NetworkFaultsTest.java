package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import dev.sotto.SottoException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads over a network that breaks: cut connections, stalls, servers that ignore ranges or are not there. */
class NetworkFaultsTest {
    static final String MODEL = "whisper-base";
    static final String URL = ModelsFixture.RELEASES + MODEL + ".zip";

    @TempDir
    Path tmp;
    ModelsFixture fx;
    byte[] archive;

    @BeforeEach
    void start() throws Exception {
        fx = new ModelsFixture(tmp);
        archive = fx.archiveModel(MODEL, "whisper", "whisper/sherpa-base-int8", "sherpa-onnx-whisper-base", ArchiveFormat.ZIP, ".zip");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    Path part() {
        return fx.home.resolve("downloads").resolve(MODEL).resolve(MODEL + ".zip.part");
    }

    @Test
    void aCutDownloadResumesWithARangeRequestOnTheNextRun() throws Exception {
        int cut = archive.length * 2 / 5;
        fx.server.cutAfter(ModelsFixture.servedPath(URL), cut, 1);

        SottoException e = assertThrows(SottoException.class, () -> fx.pull().pull(MODEL, false, false));
        assertTrue(e.getMessage().contains("run the same command again to resume"), e.getMessage());
        assertEquals(cut, Files.size(part()), "what arrived is kept");
        assertFalse(Files.exists(fx.home.resolve("models").resolve(MODEL)));

        InstalledModel m = fx.pull().pull(MODEL, false, false);
        assertTrue(Verifier.verify(m).ok());
        List<ModelServer.Request> requests = fx.server.requests();
        ModelServer.Request resumed = requests.get(requests.size() - 1);
        assertEquals("bytes=" + cut + "-", resumed.range(), "the second run asked only for the rest");
        assertTrue(resumed.ifRange() != null, "guarded by If-Range, so a changed file is not spliced");
        assertEquals(ModelsFixture.sha256(archive), new TrustedChecksums(fx.home).get(URL).orElseThrow().sha256());
    }

    @Test
    void oneRunRetriesAndResumesByItself() throws Exception {
        fx.server.cutAfter(ModelsFixture.servedPath(URL), archive.length / 3, 2);
        InstalledModel m = fx.pull(fx.settings().withRetries(3, Duration.ofMillis(10))).pull(MODEL, false, false);
        assertTrue(Verifier.verify(m).ok());
        assertEquals(2, fx.server.requests().stream().filter(r -> r.range() != null).count());
        assertTrue(fx.messages.stream().anyMatch(s -> s.contains("resuming from")), fx.messages.toString());
    }

    @Test
    void aServerThatIgnoresRangesIsDownloadedWholeAgain() throws Exception {
        fx.server.cutAfter(ModelsFixture.servedPath(URL), archive.length / 2, 1);
        fx.server.ignoreRanges(ModelsFixture.servedPath(URL));
        assertThrows(SottoException.class, () -> fx.pull().pull(MODEL, false, false));
        assertTrue(Verifier.verify(fx.pull().pull(MODEL, false, false)).ok());
        assertTrue(fx.messages.stream().anyMatch(s -> s.contains("downloading it whole again")), fx.messages.toString());
    }

    @Test
    void aFileThatChangedOnTheServerIsNotSplicedOntoTheOldPart() throws Exception {
        fx.server.cutAfter(ModelsFixture.servedPath(URL), archive.length / 2, 1);
        assertThrows(SottoException.class, () -> fx.pull().pull(MODEL, false, false));
        byte[] newer = TestArchives.of(TestData.testModels().resolve("whisper/sherpa-tiny.en"),
                "sherpa-onnx-whisper-base", ArchiveFormat.ZIP);
        fx.serve(URL, newer);   // new bytes, new ETag: If-Range fails, the server sends the whole new file
        fx.file(0, 0).put("size", newer.length);
        InstalledModel m = fx.pull().pull(MODEL, false, false);
        assertTrue(Files.isRegularFile(m.directory().resolve("tiny.en-encoder.onnx")), "the new file, whole");
        assertEquals(ModelsFixture.sha256(newer), new TrustedChecksums(fx.home).get(URL).orElseThrow().sha256());
    }

    @Test
    void aStalledServerIsDroppedAfterTheTimeoutAndThePartIsKept() throws Exception {
        fx.server.stallAfter(ModelsFixture.servedPath(URL), archive.length / 4);
        long start = System.nanoTime();
        SottoException e = assertThrows(SottoException.class,
                () -> fx.pull(fx.settings().withStallTimeout(Duration.ofSeconds(1))).pull(MODEL, false, false));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("stalled"), e.getMessage());
        assertTrue(seconds < 15, "gave up after " + seconds + " s");
        assertEquals(archive.length / 4, Files.size(part()));
        assertFalse(Files.exists(fx.home.resolve("models").resolve(MODEL)));
        assertEquals(List.of(), fx.leftovers());
    }

    @Test
    void noServerAtAllExplainsHowToBringTheModelIn() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ModelSettings settings = new ModelSettings(fx.home, fx.catalogue, "http://127.0.0.1:" + closedPort, null, false,
                Duration.ofSeconds(2), 3, Duration.ofMillis(10), ModelSettings.DiskSpace.REAL);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(settings).pull(MODEL, false, false));
        String m = e.getMessage();
        assertTrue(m.contains("cannot connect to 127.0.0.1:" + closedPort), m);
        assertTrue(m.contains("sotto models pack " + MODEL + " --out " + MODEL + ".tar"), m);
        assertTrue(m.contains("sotto models unpack " + MODEL + ".tar"), m);
        assertTrue(m.contains(URL), "what to download: " + m);
        assertTrue(m.contains(fx.home.resolve("downloads").resolve(MODEL).toString()), "where to put it: " + m);
        assertFalse(Files.exists(fx.home.resolve("models").resolve(MODEL)));
    }

    @Test
    void offlineModeNeverTouchesTheNetworkAndInstallsFilesBroughtByHand() throws IOException {
        ModelSettings offline = fx.settings().withOffline(true);
        SottoException e = assertThrows(SottoException.class, () -> fx.pull(offline).pull(MODEL, false, false));
        assertTrue(e.getMessage().contains("offline mode is on"), e.getMessage());
        assertEquals(List.of(), fx.server.requests());

        Path downloads = Files.createDirectories(fx.home.resolve("downloads").resolve(MODEL));
        Files.write(downloads.resolve(MODEL + ".zip"), archive);
        assertTrue(Verifier.verify(fx.pull(offline).pull(MODEL, false, false)).ok());
        assertEquals(List.of(), fx.server.requests());
    }

    @Test
    void contentRangeHeadersAreParsedStrictly() throws IOException {
        assertEquals(100, Downloader.parseContentRange("bytes 100-199/200")[0]);
        assertEquals(-1, Downloader.parseContentRange("bytes 0-9/*")[1]);
        assertThrows(IOException.class, () -> Downloader.parseContentRange("items 0-9/10"));
        assertThrows(IOException.class, () -> Downloader.parseContentRange(null));
    }
}
