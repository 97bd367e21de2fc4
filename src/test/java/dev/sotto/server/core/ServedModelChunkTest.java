package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.StreamOptions;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sotto's {@code chunk_ms} (the web page's chunk-size choice) on a family directory (the synthetic
 * Nemotron, one export per size), a fixed-size export (the real Zipformer) and what cannot be served.
 */
class ServedModelChunkTest {
    static final Path FAMILY = TestData.testModels().resolve("nemotron-en");
    static final Path AUDIO = TestData.testModels().resolve("nemo-audio/en-fox.wav");
    static final Path ZIPFORMER = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");
    static final ExecutionConfig CPU = ExecutionConfig.builder().device("cpu").threads(1).build();

    @Test
    void aFamilyDecodesWithTheChunkSizeAsked() {
        try (ServedModel model = ServedModel.load(FAMILY, CPU, true)) {
            assertEquals(List.of(80, 160, 560, 1120), model.chunkSizes());
            assertEquals(1120, model.info().chunkMs(), "the default export");
            for (int ms : List.of(0, 160, 1120)) {
                ServedModel.Transcription t = model.transcribe(AUDIO, "en-fox.wav", StreamOptions.language(null), null, ms, r -> { });
                assertEquals(ms == 0 ? 1120 : ms, t.model().chunkMs(), "chunk_ms " + ms);
                assertTrue(!t.result().text().isBlank());
            }
            ServeException e = assertThrows(ServeException.class, () -> model.transcribe(AUDIO, "en-fox.wav",
                    StreamOptions.language(null), null, 320, r -> { }));
            assertEquals(400, e.status());
            assertEquals("chunk_ms", e.param());
            assertTrue(e.getMessage().contains("[80, 160, 560, 1120]"), e.getMessage());
        }
    }

    @Test
    void aFixedExportServesOnlyItsOwnSize() {
        try (ServedModel model = ServedModel.load(ZIPFORMER, CPU, true)) {
            assertEquals(320, model.info().chunkMs());
            assertEquals(320, model.transcribe(AUDIO, "en-fox.wav", StreamOptions.language(null), null, 320, r -> { })
                    .model().chunkMs());
            ServeException e = assertThrows(ServeException.class, () -> model.openLive(StreamOptions.language(null), null, 160,
                    (s, r) -> { }));
            assertEquals("chunk_ms", e.param());
            assertTrue(e.getMessage().contains("one fixed chunk size, 320 ms"), e.getMessage());
        }
    }
}
