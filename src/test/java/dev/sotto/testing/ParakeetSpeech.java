package dev.sotto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The test clips models/synth_parakeet.py writes beside the synthetic offline NeMo models,
 * with what each kind of model must return for them ({@code tdt}, {@code rnnt},
 * {@code ctc}, {@code ctc-beam}).
 */
public record ParakeetSpeech(String name, Path wav, double duration, String language, Map<String, Expected> expected) {

    /** A correct engine's tokens: pieces, start times and durations (0 where the model gives none). */
    public record Expected(String text, List<String> tokens, List<Double> starts, List<Double> durations) {
    }

    public static Path models() {
        return TestData.testModels().resolve("parakeet");
    }

    public static List<ParakeetSpeech> all() {
        Path dir = models().resolve("audio");
        try {
            List<ParakeetSpeech> out = new ArrayList<>();
            for (JsonNode c : new ObjectMapper().readTree(dir.resolve("expected.json").toFile())) {
                Map<String, Expected> expected = new TreeMap<>();
                c.get("expected").fields().forEachRemaining(e -> expected.put(e.getKey(), new Expected(
                        e.getValue().get("text").asText(), strings(e.getValue().get("tokens")),
                        doubles(e.getValue().get("starts")), doubles(e.getValue().get("durations")))));
                out.add(new ParakeetSpeech(c.get("name").asText(), dir.resolve(c.get("wav").asText()),
                        c.get("duration").asDouble(), c.get("language").isNull() ? null : c.get("language").asText(),
                        expected));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("synthetic test speech missing: run the build (models/make_test_models.py)", e);
        }
    }

    public static ParakeetSpeech named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public Expected expected(String kind) {
        Expected e = expected.get(kind);
        if (e == null) throw new IllegalArgumentException(name + " has no expectation for " + kind);
        return e;
    }

    public float[] samples() {
        try {
            return TestData.readWav(wav).samples();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }
}
