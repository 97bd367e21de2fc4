package dev.sotto.cli;

import static dev.sotto.cli.CliTest.sotto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.testing.ParakeetSpeech;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sotto transcribe with the offline NeMo models: batches of files, durations in the output, no chunk sizes. */
class OfflineCliTest {
    static final String TDT = ParakeetSpeech.models().resolve("parakeet-tdt-v2").toString();

    static String wav(String name) {
        return ParakeetSpeech.named(name).wav().toString();
    }

    @Test
    void filesDecodedTogetherPrintWhatTheyPrintOneAtATimeInOrder() {
        List<String> files = List.of(wav("en-fox"), wav("en-long"), "missing.wav", wav("en-short"), wav("en-hello"),
                wav("en-silence"), wav("en-vad"));
        List<String> single = new ArrayList<>(List.of("transcribe", "--model", TDT, "--device", "cpu"));
        single.addAll(files);
        CliTest.Run one = sotto(single.toArray(String[]::new));
        List<String> batched = new ArrayList<>(List.of("transcribe", "--model", TDT, "--device", "cpu", "--batch-size", "3"));
        batched.addAll(files);
        CliTest.Run together = sotto(batched.toArray(String[]::new));
        assertEquals(1, one.status(), "a missing file fails: " + one.err());
        assertEquals(1, together.status(), together.err());
        assertEquals(one.out(), together.out());
        assertEquals(6, together.out().lines().count(), together.out());
        assertTrue(together.err().contains("files together"), together.err());
        assertTrue(together.err().contains("missing.wav"), together.err());
    }

    @Test
    void jsonCarriesTokenDurationsAndWordsEndWithThem() throws Exception {
        CliTest.Run r = sotto("transcribe", "--model", TDT, "--format", "verbose_json", wav("en-hello"));
        assertEquals(0, r.status(), r.err());
        JsonNode words = new ObjectMapper().readTree(r.out()).get("words");
        ParakeetSpeech.Expected e = ParakeetSpeech.named("en-hello").expected("tdt");
        assertEquals("Hello,", words.get(0).get("word").asText());
        assertEquals(e.starts().get(1) + e.durations().get(1), words.get(0).get("end").asDouble(), 1e-9,
                "a word ends where its last token ends");
        CliTest.Run json = sotto("transcribe", "--model", TDT, "--format", "json", wav("en-hello"));
        JsonNode token = new ObjectMapper().readTree(json.out()).get("tokens").get(0);
        assertEquals(e.durations().get(0), token.get("duration").asDouble(), 1e-9);
    }

    @Test
    void anOfflineModelHasNoChunkSizes() {
        CliTest.Run r = sotto("transcribe", "--model", TDT, "--chunk-ms", "160", wav("en-fox"));
        assertEquals(1, r.status());
        assertTrue(r.err().contains("offline model") && r.err().contains("--chunk-ms"), r.err());
    }
}
