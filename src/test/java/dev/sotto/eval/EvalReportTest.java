package dev.sotto.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EvalReport.Utterance en(String path, String ref, String hyp, double dur, double dec) {
        return EvalReport.Utterance.score(path, "en", ref, hyp, dur, dec);
    }

    private static EvalReport sample() {
        return EvalReport.of(List.of(
                en("en/cat.wav", "The cat sat on the mat.", "the cat sit on mat", 2.0, 0.5),
                en("en/num.wav", "Twenty-five dollars!", "$25", 1.0, 0.25),
                EvalReport.Utterance.score("ja/mizu.wav", "ja", "水を買う。", "水お買う", 1.0, 0.25)));
    }

    @Test
    void scoringNormalisesBothSides() {
        EvalReport.Utterance u = en("x.wav", "Twenty-five dollars!", "$25", 1, 1);
        assertEquals("25 dollars", u.normalizedReference());
        assertEquals("25 dollars", u.normalizedHypothesis());
        assertEquals(0.0, u.errorRate());
        assertEquals(ScoringUnit.WORD, u.unit());
    }

    @Test
    void totalsAreCorpusRatesSeparatedByUnit() {
        EvalReport r = sample();
        EvalReport.Totals t = r.totals();
        assertEquals(3, t.utteranceCount());
        assertEquals(new ErrorRate(1, 1, 0, 6), t.wordErrors());   // 2 errors over 6 + 2 words
        assertEquals(0.25, t.wer(), 1e-12);                       // not mean(2/6, 0) = 0.1667
        assertEquals(new ErrorRate(1, 0, 0, 3), t.characterErrors()); // を -> お
        assertEquals(0.25, t.cer(), 1e-12);
        assertEquals(4.0, t.audioSeconds(), 1e-12);
        assertEquals(1.0, t.decodeSeconds(), 1e-12);
        assertEquals(0.25, t.realTimeFactor(), 1e-12);
    }

    @Test
    void noCharacterRowsMeansNoCer() {
        EvalReport r = EvalReport.of(List.of(en("a.wav", "hello", "hello", 1, 1)));
        assertNull(r.totals().cer());
        assertNull(r.totals().characterErrors());
    }

    @Test
    void jsonHasSnakeCaseFieldsTopLevelWerAndUtterances() throws Exception {
        JsonNode root = JSON.readTree(ReportFormat.JSON.render(sample()));
        assertEquals(0.25, root.get("wer").asDouble(), 1e-12);
        assertEquals(0.25, root.get("cer").asDouble(), 1e-12);
        assertEquals(3, root.get("utterance_count").asInt());
        assertEquals(0.25, root.get("real_time_factor").asDouble(), 1e-12);
        assertEquals(8, root.get("word_errors").get("reference_length").asInt());
        JsonNode first = root.get("utterances").get(0);
        assertEquals("en/cat.wav", first.get("path").asText());
        assertEquals("the cat sat on the mat", first.get("normalized_reference").asText());
        assertEquals("the cat sit on mat", first.get("normalized_hypothesis").asText());
        assertEquals("word", first.get("unit").asText());
        assertEquals(2.0 / 6, first.get("wer").asDouble(), 1e-12);
        assertEquals(1, first.get("substitutions").asInt());
        assertEquals(1, first.get("deletions").asInt());
        assertEquals(0, first.get("insertions").asInt());
        assertEquals(6, first.get("reference_length").asInt());
        assertEquals(2.0, first.get("duration_seconds").asDouble());
        assertEquals(0.5, first.get("decode_seconds").asDouble());
        JsonNode sub = first.get("alignment").get(2);
        assertEquals("sub", sub.get("op").asText());
        assertEquals("sat", sub.get("ref").asText());
        assertEquals("sit", sub.get("hyp").asText());
        assertTrue(first.get("alignment").get(4).get("hyp").isNull());
        JsonNode ja = root.get("utterances").get(2);
        assertEquals("character", ja.get("unit").asText());
        assertEquals(1.0 / 4, ja.get("cer").asDouble(), 1e-12);
        assertFalse(ja.has("wer"));
        for (String name : allFieldNames(root)) {
            assertTrue(name.matches("[a-z]+(_[a-z]+)*"), "not snake_case: " + name);
        }
    }

    @Test
    void jsonWritesUndefinedNumbersAsNull() throws Exception {
        EvalReport r = EvalReport.of(List.of(
                en("silence.wav", "", "thank you", Double.NaN, Double.NaN)));
        JsonNode root = JSON.readTree(ReportFormat.JSON.render(r));
        assertTrue(root.get("wer").isNull());                 // insertions over zero reference words
        assertTrue(root.get("real_time_factor").isNull());
        assertFalse(root.has("cer"));
        JsonNode u = root.get("utterances").get(0);
        assertTrue(u.get("wer").isNull());
        assertEquals(2, u.get("insertions").asInt());
        assertTrue(u.get("duration_seconds").isNull());
    }

    @Test
    void jsonWerIsNullWithOnlyCharacterRows() throws Exception {
        EvalReport r = EvalReport.of(List.of(EvalReport.Utterance.score("a.wav", "ko", "그는", "그는", 1, 1)));
        JsonNode root = JSON.readTree(ReportFormat.JSON.render(r));
        assertTrue(root.get("wer").isNull());
        assertEquals(0.0, root.get("cer").asDouble());
    }

    @Test
    void textIsATableWithTotalsAndAlignments() {
        String text = ReportFormat.TEXT.render(sample());
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).startsWith("path") && lines.get(0).contains("rate"), lines.get(0));
        assertTrue(lines.get(2).startsWith("en/cat.wav") && lines.get(2).contains("33.33%"), lines.get(2));
        assertTrue(lines.get(3).startsWith("en/num.wav") && lines.get(3).contains("0.00%"), lines.get(3));
        assertTrue(lines.get(4).startsWith("ja/mizu.wav") && lines.get(4).contains("cer"), lines.get(4));
        assertTrue(text.contains("WER 25.00%  (S 1, D 1, I 0 over 8 words, 2 utterances)"), text);
        assertTrue(text.contains("CER 25.00%  (S 1, D 0, I 0 over 4 characters, 1 utterances)"), text);
        assertTrue(text.contains("3 utterances, audio 4.00 s, decode 1.00 s, real-time factor 0.250"), text);
        assertTrue(text.contains("  REF: the cat SAT on THE mat\n  HYP: the cat SIT on *** mat\n"), text);
        assertFalse(text.contains("en/num.wav  wer"), "no alignment for a perfect utterance");
        assertTrue(text.contains("  REF: 水 を 買 う\n  HYP: 水 お 買 う\n"), text);
    }

    @Test
    void alignmentLinesPadToTheWiderToken() {
        Alignment a = Alignment.of(List.of("a", "bb", "c"), List.of("aaa", "bb"));
        String[] lines = TextReport.alignmentLines(a);
        assertEquals("A   bb C", lines[0]);
        assertEquals("AAA bb *", lines[1]);
    }

    @Test
    void formatNames() {
        assertEquals(ReportFormat.JSON, ReportFormat.parse("json"));
        assertEquals(ReportFormat.TEXT, ReportFormat.parse(" Text "));
        assertEquals("json", ReportFormat.JSON.toString());
        assertTrue(assertThrows(SottoException.class, () -> ReportFormat.parse("xml")).getMessage().contains("text or json"));
    }

    @Test
    void scoreFromManifestEntry() {
        Manifest.Entry e = new Manifest.Entry(2, "en/a.wav", java.nio.file.Path.of("/x/en/a.wav"), "en", "ONE TWO");
        EvalReport.Utterance u = EvalReport.Utterance.score(e, null, 1.5, 0.1);
        assertEquals("en/a.wav", u.path());
        assertEquals("", u.hypothesis());
        assertEquals("12", u.normalizedReference());
        assertEquals(new ErrorRate(0, 1, 0, 0), u.errors());
    }

    private static List<String> allFieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                names.add(n);
                names.addAll(allFieldNames(node.get(n)));
            }
        } else if (node.isArray()) {
            node.forEach(child -> names.addAll(allFieldNames(child)));
        }
        return names;
    }
}
