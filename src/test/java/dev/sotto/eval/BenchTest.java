package dev.sotto.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.testing.TestData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The bench report's structure and consistency on the synthetic family of four chunk sizes (never its timings). */
class BenchTest {
    static List<Bench.Row> rows;

    @BeforeAll
    static void run() {
        Path family = TestData.testModels().resolve("nemotron-en");
        Manifest manifest = Manifest.read(TestData.testModels().resolve("nemo-audio/manifest.tsv"), "en");
        Bench.Plan plan = new Bench.Plan(List.of(family), List.of(), manifest,
                ExecutionConfig.builder().device("cpu").threads(1).build(), DecodingConfig.DEFAULT);
        rows = new Bench(plan, message -> { }).run();
    }

    @Test
    void oneRowPerChunkSizeWithConsistentFigures() {
        assertEquals(List.of(80, 160, 560, 1120), rows.stream().map(Bench.Row::chunkMs).toList());
        for (Bench.Row r : rows) {
            assertEquals("nemotron-en/" + r.chunkMs() + "ms", r.model());
            assertEquals(5, r.utterances());
            assertEquals(0.0, r.wer(), "the synthetic models decode their speech exactly");
            assertTrue(Double.isNaN(r.cer()), "no ja/zh/ko rows");
            assertTrue(r.audioSeconds() > 60 && r.realTimeFactor() > 0);
            assertTrue(r.chunkP50() > 0 && r.chunkP50() <= r.chunkP95() && r.chunkP95() <= r.chunkP99());
            assertTrue(r.firstPartialMean() > 0 && r.finalizationMean() >= 0);
            assertTrue(r.runtimeShare() > 0 && r.runtimeShare() <= 1);
            assertTrue(r.peakMemoryMb() > 0);
            // a token can only appear once its whole chunk has arrived
            assertTrue(r.firstPartialMean() >= r.chunkMs() * 0.5, r.chunkMs() + " ms: " + r.firstPartialMean());
        }
    }

    @Test
    void jsonHasOneRowPerConfiguration() throws Exception {
        JsonNode root = new ObjectMapper().readTree(BenchReport.json(rows, "m.tsv", "cpu", 1));
        assertEquals(4, root.get("rows").size());
        JsonNode first = root.get("rows").get(0);
        assertEquals(80, first.get("chunk_ms").asInt());
        assertEquals(0.0, first.get("wer").asDouble());
        assertTrue(first.get("chunk_latency_ms").get("p99").asDouble() > 0);
        assertTrue(first.get("first_partial_latency_ms").get("mean").asDouble() > 0);
        assertTrue(first.has("finalization_latency_ms") && first.has("peak_memory_mb") && first.has("runtime_share"));
    }

    @Test
    void thePlotIsValidSvgWithAPointPerChunkSize() throws Exception {
        String svg = BenchPlot.svg(rows);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(4 + 1, doc.getElementsByTagName("circle").getLength(), "four points and one legend marker");
        assertTrue(svg.contains(">1120 ms<") && svg.contains(">80 ms<"));
        String table = BenchReport.table(rows);
        assertEquals(2 + 4, table.split("\n").length, "header, rule, four rows");
    }
}
