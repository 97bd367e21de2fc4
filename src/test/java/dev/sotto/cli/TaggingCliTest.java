package dev.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.testing.TestData;
import org.junit.jupiter.api.Test;

/** {@code sotto transcribe --tagging-model DIR} with the synthetic taggers (models/synth_tagging.py) and the real Zipformer. */
class TaggingCliTest {
    static final String TONES = TestData.testModels().resolve("tagging/tones.wav").toString();

    @Test
    void eventsFromATaggerJoinTheSilences() throws Exception {
        CliTest.Run r = CliTest.sotto("transcribe", "--model", DiarizeCliTest.MODEL, "--device", "cpu", "--tagging-model",
                TestData.testModels().resolve("tagging/zipformer-audio-tagging").toString(), "--vad-model", DiarizeCliTest.VAD,
                "--format", "verbose_json", TONES);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("audio events from the Zipformer audio tagger"), r.err());
        // Silero hears no speech in pure tones: the whole file is one silence, around the tagged bursts.
        assertEquals("[{\"text\":\"(silence)\",\"start\":0.0,\"end\":13.0},{\"text\":\"(music)\",\"start\":2.0,\"end\":5.0},"
                + "{\"text\":\"(applause)\",\"start\":7.0,\"end\":9.0}]",
                new ObjectMapper().readTree(r.out()).get("audio_events").toString());

        CliTest.Run ced = CliTest.sotto("transcribe", "--model", DiarizeCliTest.MODEL, "--device", "cpu", "--tagging-model",
                TestData.testModels().resolve("tagging/ced-audio-tagging").toString(), "--event-threshold", "0.99",
                "--format", "json", TONES);
        assertEquals(0, ced.status(), ced.err());
        assertTrue(ced.err().contains("no Silero VAD found"), ced.err());
        JsonNode events = new ObjectMapper().readTree(ced.out()).get("audio_events");
        // At 0.99 only the windows with the tone in all 3 s fire: the middle second of each burst.
        assertEquals("[{\"text\":\"(music)\",\"start\":3.0,\"end\":4.0}]", events.toString());
    }

    /**
     * Asking for events lets Whisper write its non-speech tokens; the synthetic Whisper never prefers one (it
     * cannot be made to hear music), so its transcript must not change.
     */
    @Test
    void whisperKeepsItsTranscriptWhenNonSpeechTokensAreAllowed() throws Exception {
        String model = TestData.testModels().resolve("whisper/sherpa-tiny.en").toString();
        String audio = TestData.testModels().resolve("whisper/whisper-audio/mel80/two-segments.wav").toString();
        CliTest.Run plain = CliTest.sotto("transcribe", "--model", model, "--device", "cpu", "--format", "json", audio);
        CliTest.Run events = CliTest.sotto("transcribe", "--model", model, "--device", "cpu", "--format", "json",
                "--tagging-model", TestData.testModels().resolve("tagging/ced-audio-tagging").toString(), audio);
        assertEquals(0, events.status(), events.err());
        JsonNode a = new ObjectMapper().readTree(plain.out());
        JsonNode b = new ObjectMapper().readTree(events.out());
        assertEquals("Hello world. The cat sat on the mat.", a.get("text").asText());
        assertEquals(a.get("text"), b.get("text"));
        assertEquals(a.get("words"), b.get("words"));
        assertTrue(b.get("audio_events").isArray() && a.get("audio_events") == null, events.out());
    }

    @Test
    void aBadTaggingModelIsOneClearLine() {
        CliTest.Run r = CliTest.sotto("transcribe", "--model", DiarizeCliTest.MODEL, "--device", "cpu", "--tagging-model",
                TestData.testModels().resolve("speaker/3dspeaker-campplus").toString(), TONES);
        assertEquals(1, r.status());
        assertTrue(r.err().contains("class_labels_indices.csv: missing"), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }
}
