package dev.sotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sotto.server.core.ServerConfig;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NanoGPT's {@code tagAudioEvents=true} on a server started with a (synthetic, models/synth_tagging.py) tagging model. */
class TaggingServerTest {
    @Test
    void taggedEventsAreAudioEventWords(@TempDir Path tmp) throws Exception {
        ServerConfig config = new ServerConfig("127.0.0.1", 0, List.of(ServerInputsTest.MODEL), Map.of(), List.of(), false,
                tmp, 1, 10, 64 << 20, false, List.of(), Duration.ofSeconds(2), Duration.ofHours(1),
                dev.sotto.recognizer.ExecutionConfig.builder().device("cpu").threads(1).build(), Duration.ofSeconds(30), 16,
                Duration.ofSeconds(30), null, null, true, null, null, null,
                TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx"),
                TestData.testModels().resolve("tagging/ced-audio-tagging"));
        try (SottoServer server = SottoServer.start(config)) {
            ServerInputsTest.Reply r = ServerInputsTest.send(ServerInputsTest.multipart(ServerInputsTest.url(server, "/api/transcribe"),
                    Map.of("audio", TestData.testModels().resolve("tagging/tones.wav"), "model", "Whisper-Large-V3",
                            "tagAudioEvents", "true")));
            assertEquals(200, r.status(), r.body());
            List<String> events = new ArrayList<>();
            for (JsonNode w : r.json().get("words")) {
                if (w.get("type").asText().equals("audio_event")) {
                    events.add(w.get("text").asText() + " " + w.get("start").asDouble() + "-" + w.get("end").asDouble());
                }
            }
            // Silero hears no speech in the tones: one silence over the whole file, then the tagged bursts.
            assertEquals(List.of("(silence) 0.0-13.0", "(music) 2.0-5.0", "(applause) 7.0-9.0"), events, r.body());
        }
    }
}
