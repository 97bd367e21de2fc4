package dev.sotto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test speech models/synth_nemo.py writes beside the synthetic NeMo models, with what
 * a correct engine must return for each clip (it is the token sequence the "speaker" spoke).
 */
public record SyntheticSpeech(String name, Path wav, String text, List<String> tokens, List<Double> starts,
                              double duration, String language) {

    public static List<SyntheticSpeech> nemo() {
        Path dir = TestData.testModels().resolve("nemo-audio");
        try {
            JsonNode root = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
            List<SyntheticSpeech> out = new ArrayList<>();
            for (JsonNode c : root) {
                List<String> tokens = new ArrayList<>();
                c.get("tokens").forEach(t -> tokens.add(t.asText()));
                List<Double> starts = new ArrayList<>();
                c.get("starts").forEach(t -> starts.add(t.asDouble()));
                out.add(new SyntheticSpeech(c.get("name").asText(), dir.resolve(c.get("wav").asText()), c.get("text").asText(),
                        tokens, starts, c.get("duration").asDouble(),
                        c.get("language").isNull() ? null : c.get("language").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("synthetic test speech missing: run the build (models/make_test_models.py)", e);
        }
    }

    public static SyntheticSpeech nemo(String name) {
        return nemo().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public float[] samples() {
        try {
            return TestData.readWav(wav).samples();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
