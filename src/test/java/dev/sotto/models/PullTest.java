package dev.sotto.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import dev.sotto.SottoException;
import dev.sotto.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models pull} against a local model host: layouts, mirrors, checksums, trust on first download. */
class PullTest {
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

    @Test
    void pullsAFamilyOfTarBz2ArchivesIntoOneDirectoryPerChunkSize() throws Exception {
        fx.nemotronEn("nemotron-en");
        InstalledModel m = fx.pull().pull("nemotron-en", false, false);

        assertEquals(fx.home.resolve("models/nemotron-en"), m.directory());
        for (String ms : ModelsFixture.NEMO_CHUNKS) {
            Path src = TestData.testModels().resolve("nemotron-en").resolve(ms);
            for (String f : Verifier.files(src)) {
                assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(m.directory().resolve(ms).resolve(f)), ms + "/" + f);
            }
        }
        assertEquals(Set.of("80ms", "160ms", "560ms", "1120ms"), Verifier.files(m.directory()).stream()
                .filter(p -> p.contains("/")).map(p -> p.substring(0, p.indexOf('/'))).collect(Collectors.toSet()));
        assertTrue(Verifier.verify(m).ok(), Verifier.verify(m).problems().toString());
        assertFalse(Files.exists(fx.home.resolve("downloads/nemotron-en")), "downloads are dropped once installed");
        assertEquals(List.of(), fx.leftovers());
        // Every request went to the mirror, as MIRROR/HOST/PATH.
        assertTrue(fx.server.requests().stream().allMatch(r -> r.path().startsWith("/github.com/k2-fsa/sherpa-onnx/releases/")));
    }

    @Test
    void filesWithoutAPublishedChecksumAreRecordedAtFirstDownloadAndSaidSo() throws Exception {
        fx.nemotronEn("nemotron-en");
        fx.pull().pull("nemotron-en", false, false);

        TrustedChecksums trusted = new TrustedChecksums(fx.home);
        String pinned = ModelsFixture.RELEASES + "nemotron-en-sherpa-onnx-nemotron-speech-streaming-en-0.6b-80ms-int8-2026-04-25.tar.bz2";
        String unpinned = pinned.replace("-80ms-", "-160ms-");
        assertTrue(trusted.get(pinned).isEmpty(), "a catalogue sha256 is not re-recorded");
        assertTrue(trusted.get(unpinned).isPresent());
        assertEquals(3, fx.messages.stream().filter(s -> s.contains("no published checksum: recorded the sha256")).count(), fx.messages.toString());
    }

    @Test
    void pullsTheHuggingFaceLayoutFileByFileThroughTheHfEndpoint() throws Exception {
        fx.whisperHf("whisper-tiny");
        InstalledModel m = fx.pull().pull("whisper-tiny", false, false);

        Path src = TestData.testModels().resolve("whisper/hf-tiny");
        assertEquals(Verifier.files(src), Verifier.files(m.directory()).stream()
                .filter(p -> !p.equals(ModelManifest.FILE)).collect(Collectors.toCollection(TreeSet::new)));
        assertTrue(fx.server.requests().stream().allMatch(r -> r.path().startsWith("/hf/onnx-community/whisper-tiny/resolve/main/")));
    }

    @Test
    void unpacksTarGzAndZipToo() throws Exception {
        fx.archiveModel("whisper-tiny-en", "whisper", "whisper/sherpa-tiny.en", "sherpa-onnx-whisper-tiny.en", ArchiveFormat.TAR_GZ, ".tar.gz");
        fx.archiveModel("whisper-base", "whisper", "whisper/sherpa-base-int8", "sherpa-onnx-whisper-base", ArchiveFormat.ZIP, ".zip");
        ModelPull pull = fx.pull();
        assertTrue(Files.isRegularFile(pull.pull("whisper-tiny-en", false, false).directory().resolve("tiny.en-encoder.onnx")));
        assertTrue(Files.isRegularFile(pull.pull("whisper-base", false, false).directory().resolve("base-encoder.int8.onnx")));
    }

    @Test
    void aWrongChecksumIsRefusedAndNothingIsInstalled() throws Exception {
        fx.nemotronEn("nemotron-en");
        String url = ModelsFixture.RELEASES + "nemotron-en-sherpa-onnx-nemotron-speech-streaming-en-0.6b-80ms-int8-2026-04-25.tar.bz2";
        byte[] other = TestArchives.of(TestData.testModels().resolve("nemotron-en/160ms"),
                "sherpa-onnx-nemotron-speech-streaming-en-0.6b-80ms-int8-2026-04-25", ArchiveFormat.TAR_BZ2);
        fx.serve(url, other);   // the mirror serves other bytes than the catalogue pinned

        SottoException e = assertThrows(SottoException.class, () -> fx.pull().pull("nemotron-en", false, false));
        assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("computed by the test"), "says who recorded the expected sum: " + e.getMessage());
        assertFalse(Files.exists(fx.home.resolve("models/nemotron-en")));
        assertFalse(Files.exists(fx.home.resolve("downloads/nemotron-en").resolve(url.substring(url.lastIndexOf('/') + 1))),
                "the bad download is deleted");
        assertEquals(List.of(), fx.leftovers());
    }

    @Test
    void aFileThatChangedSinceItsFirstDownloadIsRefusedUnlessAccepted() throws Exception {
        byte[] first = fx.archiveModel("whisper-tiny-en", "whisper", "whisper/sherpa-tiny.en", "sherpa-onnx-whisper-tiny.en",
                ArchiveFormat.TAR_GZ, ".tar.gz");
        fx.file(0, 0).remove("size");
        ModelPull pull = fx.pull();
        pull.pull("whisper-tiny-en", false, false);
        fx.cache().remove("whisper-tiny-en");

        byte[] changed = TestArchives.of(TestData.testModels().resolve("whisper/sherpa-base-int8"), "sherpa-onnx-whisper-tiny.en",
                ArchiveFormat.TAR_GZ);
        fx.serve(ModelsFixture.RELEASES + "whisper-tiny-en.tar.gz", changed);
        SottoException e = assertThrows(SottoException.class, () -> pull.pull("whisper-tiny-en", false, false));
        assertTrue(e.getMessage().contains("recorded at its first download"), e.getMessage());
        assertTrue(e.getMessage().contains("--accept-new-checksum"), e.getMessage());
        assertFalse(Files.exists(fx.home.resolve("models/whisper-tiny-en")));

        pull.pull("whisper-tiny-en", false, true);
        assertTrue(Files.isRegularFile(fx.home.resolve("models/whisper-tiny-en/base-encoder.int8.onnx")));
        assertEquals(ModelsFixture.sha256(changed),
                new TrustedChecksums(fx.home).get(ModelsFixture.RELEASES + "whisper-tiny-en.tar.gz").orElseThrow().sha256());
        assertTrue(first.length > 0);
    }

    @Test
    void anInstalledModelIsKeptUnlessForced() throws Exception {
        fx.whisperHf("whisper-tiny");
        ModelPull pull = fx.pull();
        pull.pull("whisper-tiny", false, false);
        int requests = fx.server.requests().size();
        pull.pull("whisper-tiny", false, false);
        assertEquals(requests, fx.server.requests().size(), "nothing downloaded again");
        InstalledModel again = pull.pull("whisper-tiny", true, false);
        assertTrue(fx.server.requests().size() > requests);
        assertTrue(Verifier.verify(again).ok());
        assertEquals(List.of(), fx.leftovers());
    }

    @Test
    void aMissingFileOnTheMirrorIsReportedAsSuch() {
        fx.whisperHf("whisper-tiny");
        fx.server.remove(ModelsFixture.servedPath(ModelsFixture.HF + "onnx-community/whisper-tiny/resolve/main/tokenizer.json"));
        SottoException e = assertThrows(SottoException.class, () -> fx.pull().pull("whisper-tiny", false, false));
        assertTrue(e.getMessage().contains("not found (HTTP 404)"), e.getMessage());
        assertFalse(Files.exists(fx.home.resolve("models/whisper-tiny")));
    }

    @Test
    void anUnknownNameSaysWhereTheNamesAre() {
        fx.whisperHf("whisper-tiny");
        SottoException e = assertThrows(SottoException.class, () -> fx.pull().pull("whisper-huge", false, false));
        assertTrue(e.getMessage().contains("sotto models list"), e.getMessage());
    }

    @Test
    void twoInstallsAtOnceDoNotShareTheCache() throws Exception {
        fx.whisperHf("whisper-tiny");
        ModelCache.Lock held = fx.cache().lock("a test");
        try {
            SottoException e = assertThrows(SottoException.class, () -> fx.pull().pull("whisper-tiny", false, false));
            assertTrue(e.getMessage().contains("another Sotto is installing"), e.getMessage());
        } finally {
            held.close();
        }
        assertTrue(Verifier.verify(fx.pull().pull("whisper-tiny", false, false)).ok(), "works once the lock is released");
    }
}
