package dev.sotto.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The normaliser on the real references of {@code ../shared/audio/manifest.tsv}: 40 English and 8 in seven
 * other languages (shared/README.md says 47 in all, but Japanese has two rows).
 */
class SharedManifestTest {
    private static Path shared;
    private static Manifest manifest;
    private static Map<String, String> normalized;

    @BeforeAll
    static void read() {
        shared = Path.of(System.getProperty("sotto.shared", "../shared"));
        Path tsv = shared.resolve("audio/manifest.tsv");
        assertTrue(Files.isRegularFile(tsv), "shared data missing: " + tsv.toAbsolutePath()
                + " (set -Dsotto.shared=DIR)");
        manifest = Manifest.read(tsv);
        normalized = manifest.entries().stream().collect(Collectors.toMap(Manifest.Entry::path,
                e -> TextNormalizer.forLanguage(e.lang()).normalize(e.reference())));
    }

    @Test
    void manifestHas48RowsAnd40English() {
        assertEquals(48, manifest.entries().size());
        assertEquals(40, manifest.filter("en").entries().size());
        assertEquals(List.of("en", "ja", "de", "es", "fr", "it", "ko", "pt"), manifest.languages());
        manifest.entries().forEach(e -> assertTrue(Files.isRegularFile(e.audio()), e.path()));
    }

    @Test
    void everyEnglishReferenceIsCleanLowerCaseWords() {
        for (Manifest.Entry e : manifest.filter("en").entries()) {
            String n = normalized.get(e.path());
            assertTrue(n.matches("[a-z0-9]+('[a-z]+)?( [a-z0-9]+('[a-z]+)?)*"), e.path() + ": " + n);
            // Nothing but case and punctuation separates reference and normal form for plain-word rows.
            if (!e.reference().matches(".*(\\d|Mr|-|i\\.e\\.|fifteen|twenty|first).*")) {
                assertEquals(e.reference().toLowerCase().replaceAll("[^a-z' ]", " ").trim().replaceAll(" +", " "),
                        n, e.path());
            }
        }
    }

    @Test
    void upperCaseLibriSpeechReferencesFold() {
        assertEquals("stuff it into you his belly counselled him", normalized.get("en/1089-134686-0001.flac"));
        assertEquals("he could wait no longer", normalized.get("en/1089-134691-0000.flac"));
    }

    @Test
    void pinnedPunctuatedReferences() {
        assertEquals("and so my fellow americans ask not what your country can do for you ask what you can do for "
                + "your country", normalized.get("en/jfk.wav"));
        assertEquals("the earliest book printed with movable types the gutenberg or 42 line bible of about 1455",
                normalized.get("en/ljspeech/LJ001-0007.wav"));
        assertEquals("but the 1st bible actually dated which also was printed at maintz by peter schoeffer in the "
                + "year 1462", normalized.get("en/ljspeech/LJ001-0024.wav"));
        assertEquals("the 1st books were printed in black letter ie the letter which was a gothic development of "
                + "the ancient roman character", normalized.get("en/ljspeech/LJ001-0018.wav"));
        assertEquals("mister quilter is the apostle of the middle classes and we are glad to welcome his gospel",
                normalized.get("en/leopard-test-en.wav"));
        assertEquals("especially as regards the lower case letters and type very similar was used during the next "
                + "15 or 20 years not only by schoeffer", normalized.get("en/ljspeech/LJ001-0027.wav"));
    }

    @Test
    void otherLanguagesKeepTheirLettersAndLoseTheirPunctuation() {
        assertEquals("sous le consulat il devient conservateur des eaux et forêts et conseiller général",
                normalized.get("multi/leopard-test-fr.wav"));
        assertEquals("uma raposa velha não consegue aprender nenhum ofício", normalized.get("multi/leopard-test-pt.wav"));
        assertEquals("水をマレーシアから買わなくてはならないのです", normalized.get("multi/jsut-basic5000-0001-ja.wav"));
        for (Manifest.Entry e : manifest.entries()) {
            String n = normalized.get(e.path());
            assertTrue(!n.isEmpty() && n.codePoints().noneMatch(cp -> Character.isUpperCase(cp)
                    || Character.getType(cp) == Character.OTHER_PUNCTUATION), e.path() + ": " + n);
        }
    }

    @Test
    void referencesScoreZeroAgainstThemselvesAndCharacterRowsUseCer() {
        List<EvalReport.Utterance> rows = manifest.entries().stream()
                .map(e -> EvalReport.Utterance.score(e, e.reference(), 1.0, 0.1)).toList();
        EvalReport report = EvalReport.of(rows);
        assertEquals(0.0, report.totals().wer());
        assertEquals(0.0, report.totals().cer());
        assertEquals(3, rows.stream().filter(u -> u.unit() == ScoringUnit.CHARACTER).count());
        // The Korean reference has 19 syllables once its spaces are gone.
        EvalReport.Utterance ko = rows.stream().filter(u -> u.lang().equals("ko")).findFirst().orElseThrow();
        assertEquals(19, ko.errors().referenceLength());
    }

    /**
     * End to end on real recogniser output: what sherpa-onnx decodes with the shared Zipformer. The
     * edit total was checked against an independent Levenshtein over the same normalised words.
     */
    @Test
    void sherpaOnnxReferenceOutputScores() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> hyp = new HashMap<>();
        for (String line : Files.readAllLines(shared.resolve("reference/sherpa-onnx-zipformer-outputs.jsonl"))) {
            JsonNode n = json.readTree(line);
            hyp.put(n.get("path").asText(), n.get("text").asText());
        }
        List<EvalReport.Utterance> rows = manifest.filter("en").entries().stream()
                .map(e -> EvalReport.Utterance.score(e, hyp.get(e.path()), 1.0, 0.1)).toList();
        EvalReport.Totals t = EvalReport.of(rows).totals();
        assertEquals(new ErrorRate(48, 3, 9, 678), t.wordErrors());
        assertEquals(60.0 / 729, t.wer(), 1e-12);
        EvalReport.Utterance ls = rows.stream().filter(u -> u.path().equals("en/1089-134686-0001.flac"))
                .findFirst().orElseThrow();
        // British spelling in LibriSpeech, American from the model: counted, as documented.
        assertEquals(List.of(new Alignment.Step(Alignment.Op.SUBSTITUTION, "counselled", "counseled")),
                ls.alignment().steps().stream().filter(s -> s.op() != Alignment.Op.HIT).toList());
    }
}
