package dev.sotto.eval;

import dev.sotto.SottoException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    @TempDir
    Path dir;

    @BeforeEach
    void audio() throws IOException {
        Files.createDirectories(dir.resolve("en"));
        for (String f : List.of("en/a.wav", "en/b.wav", "de.wav")) {
            Files.write(dir.resolve(f), new byte[] {0});
        }
    }

    private Path manifest(String text) throws IOException {
        Path p = dir.resolve("manifest.tsv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static String message(Runnable r) {
        return assertThrows(SottoException.class, r::run).getMessage();
    }

    @Test
    void readsRowsRelativeToTheManifestDirectory() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\tHELLO WORLD\nde.wav\tde\tHallo Welt\n");
        Manifest m = Manifest.read(p);
        assertEquals(2, m.entries().size());
        Manifest.Entry first = m.entries().get(0);
        assertEquals(new Manifest.Entry(2, "en/a.wav", dir.resolve("en/a.wav"), "en", "HELLO WORLD"), first);
        assertEquals(List.of("en", "de"), m.languages());
    }

    @Test
    void columnsMayComeInAnyOrderWithExtrasAndWindowsLineEnds() throws IOException {
        Path p = manifest("\uFEFFreference\tspeaker\tLang\tpath\r\nhi there\tspk1\ten-US\ten/b.wav\r\n\r\n");
        Manifest.Entry e = Manifest.read(p).entries().get(0);
        assertEquals("en/b.wav", e.path());
        assertEquals("en-US", e.lang());
        assertEquals("hi there", e.reference());
    }

    @Test
    void emptyReferenceIsAllowed() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\t\n");
        assertEquals("", Manifest.read(p).entries().get(0).reference());
    }

    @Test
    void trailingEmptyFieldsAreIgnored() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\thello\t\t \n");
        assertEquals("hello", Manifest.read(p).entries().get(0).reference());
    }

    @Test
    void filtersByLanguageIncludingRegions() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten-GB\ta\nde.wav\tde\tb\nen/b.wav\tEN\tc\n");
        Manifest en = Manifest.read(p, "en");
        assertEquals(List.of("en/a.wav", "en/b.wav"), en.entries().stream().map(Manifest.Entry::path).toList());
        assertEquals(1, Manifest.read(p, "en-gb").entries().size());
    }

    @Test
    void missingAudioOfAnotherLanguageDoesNotMatterWhenFiltered() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\ta\nfr/gone.wav\tfr\tb\n");
        assertEquals(1, Manifest.read(p, "en").entries().size());
        String msg = message(() -> Manifest.read(p));
        assertTrue(msg.contains("line 3") && msg.contains("fr/gone.wav") && msg.contains("not found"), msg);
    }

    @Test
    void emptySelectionListsTheLanguagesPresent() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\ta\nde.wav\tde\tb\n");
        String msg = message(() -> Manifest.read(p, "ja"));
        assertTrue(msg.contains("no rows with lang ja") && msg.contains("de, en"), msg);
    }

    @Test
    void missingManifest() {
        String msg = message(() -> Manifest.read(dir.resolve("nope.tsv")));
        assertTrue(msg.contains("nope.tsv") && msg.contains("not found"), msg);
    }

    @Test
    void missingColumnsAreNamed() throws IOException {
        Path p = manifest("path\ttext\nen/a.wav\thello\n");
        String msg = message(() -> Manifest.read(p));
        assertTrue(msg.contains("missing columns lang, reference") && msg.contains("path | text"), msg);
    }

    @Test
    void badRowSaysWhichLine() throws IOException {
        Path p = manifest("path\tlang\treference\nen/a.wav\ten\tfine\nen/b.wav en no tabs here\n");
        String msg = message(() -> Manifest.read(p));
        assertTrue(msg.contains("line 3") && msg.contains("expected 3 tab-separated fields") && msg.contains("found 1"), msg);

        Path extra = manifest("path\tlang\treference\nen/a.wav\ten\tone\ttoo many\n");
        assertTrue(message(() -> Manifest.read(extra)).contains("line 2"));

        Path noLang = manifest("path\tlang\treference\nen/a.wav\t \tx\n");
        assertTrue(message(() -> Manifest.read(noLang)).contains("line 2: empty lang"));
    }

    @Test
    void emptyFilesAreRejected() throws IOException {
        Path empty = manifest("");
        assertTrue(message(() -> Manifest.read(empty)).contains("is empty"));
        Path headerOnly = manifest("path\tlang\treference\n");
        assertTrue(message(() -> Manifest.read(headerOnly)).contains("no rows"));
    }

    @Test
    void invalidUtf8IsReported() throws IOException {
        Path p = dir.resolve("latin1.tsv");
        Files.write(p, "path\tlang\treference\nde.wav\tde\tStra\u00DFe\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(message(() -> Manifest.read(p)).contains("not valid UTF-8"));
    }
}
