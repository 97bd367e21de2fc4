package dev.sotto.zipformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.stream.*;
import dev.sotto.testing.TestData;
import java.nio.file.Files;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void run() throws Exception {
        Map<String, JsonNode> ref = new HashMap<>();
        ObjectMapper om = new ObjectMapper();
        for (String line : Files.readAllLines(TestData.shared().resolve("reference/sherpa-onnx-zipformer-outputs.jsonl"))) {
            JsonNode n = om.readTree(line); ref.put(n.get("path").asText(), n);
        }
        var model = ModelConfig.builder(java.nio.file.Path.of(Objects.requireNonNullElse(System.getenv("MODEL_DIR"), TestData.shared().resolve("models/zipformer-gigaspeech-3.3m").toString()))).build();
        String[] leadsProp = Objects.requireNonNullElse(System.getenv("LEADS"), "0").split(",");
        try (Recognizer r = Recognizer.create(RecognizerConfig.builder(model)
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build()).build())) {
            for (String ls : leadsProp) {
                int lead = Integer.parseInt(ls);
                int textOk = 0, tokOk = 0, timeOk = 0, n = 0;
                for (String f : new TreeSet<>(ref.keySet())) {
                    float[] x0 = dev.sotto.testing.FfmpegAudio.read16kMono(TestData.shared().resolve("audio/" + f));
                    float[] x = new float[x0.length + lead - 8000];
                    System.arraycopy(x0, 0, x, lead - 8000, x0.length);
                    try (RecognitionStream s = r.createStream()) {
                        s.acceptWaveform(x);
                        s.inputFinished();
                        while (r.isReady(s)) r.decode(s);
                        Result res = r.getResult(s);
                        JsonNode e = ref.get(f);
                        n++;
                        if (res.text().equals(e.get("text").asText())) textOk++; else System.out.println("  TEXT " + f + "\n    ref  " + e.get("text").asText() + "\n    ours " + res.text());
                        List<String> toks = new ArrayList<>(); e.get("tokens").forEach(t -> toks.add(t.asText()));
                        List<String> mine = res.tokens().stream().map(Token::text).toList();
                        if (toks.equals(mine)) {
                            tokOk++;
                            boolean times = true;
                            StringBuilder diffs = new StringBuilder();
                            for (int i = 0; i < toks.size(); i++) {
                                double a = e.get("timestamps").get(i).asDouble(), b = res.tokens().get(i).start() + 0.5;
                                if (Math.abs(a - b) > 1e-6) { times = false; diffs.append(String.format(" [%d %s ref %.2f ours %.2f]", i, toks.get(i), a, b)); }
                            }
                            if (!times) System.out.println("  " + f + diffs);
                            if (times) timeOk++;
                        }
                    }
                }
                System.out.println("lead " + lead + ": text " + textOk + " tokens " + tokOk + " times " + timeOk + " / " + n);
            }
        }
    }
}
