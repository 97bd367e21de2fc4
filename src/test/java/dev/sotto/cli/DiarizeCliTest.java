package dev.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sotto transcribe --diarize} and {@code sotto diarize} with the real Zipformer, Silero VAD and the built-in embedding. */
class DiarizeCliTest {
    static final String MODEL = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m").toString();
    static final String VAD = TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx").toString();
    static final String THREE = TestData.shared().resolve("audio/special/three-speakers.wav").toString();

    @Test
    void verboseJsonAndTextCarryTheSpeakers() throws Exception {
        CliTest.Run r = CliTest.sotto("transcribe", "--model", MODEL, "--device", "cpu", "--diarize", "--num-speakers", "3",
                "--vad-model", VAD, "--format", "verbose_json", THREE);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("diarizing with the built-in"), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        List<String> segmentSpeakers = new java.util.ArrayList<>();
        o.get("segments").forEach(s -> segmentSpeakers.add(s.get("speaker").asText()));
        assertEquals(List.of("speaker_0", "speaker_1", "speaker_2"), segmentSpeakers);
        // leopard-test-data.json: words 1-4 are speaker 1, 5-20 speaker 2, 21-35 speaker 3.
        JsonNode words = o.get("words");
        assertEquals(35, words.size());
        for (int i = 0; i < words.size(); i++) {
            String expected = i < 4 ? "speaker_0" : i < 20 ? "speaker_1" : "speaker_2";
            assertEquals(expected, words.get(i).get("speaker").asText(), "word " + i + " " + words.get(i));
        }
        CliTest.Run text = CliTest.sotto("transcribe", "--model", MODEL, "--device", "cpu", "--diarize", "--num-speakers", "3",
                "--vad-model", VAD, THREE);
        assertEquals(0, text.status(), text.err());
        String[] lines = text.out().split("\n");
        assertEquals(3, lines.length, text.out());
        assertTrue(lines[0].startsWith("speaker_0: ") && lines[2].startsWith("speaker_2: "), text.out());
    }

    @Test
    void diarizeCommandScoresAgainstAReference() throws Exception {
        CliTest.Run r = CliTest.sotto("diarize", "--vad-model", VAD, "--num-speakers", "3", "--format", "json", "--reference",
                TestData.resource("diarization/three-speakers.rttm").toString(), THREE);
        assertEquals(0, r.status(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(3, o.get("speakers").asInt());
        assertTrue(o.get("der").get("der").asDouble() < 0.03, r.out());
        assertTrue(r.err().contains("DER "), r.err());
        CliTest.Run rttm = CliTest.sotto("diarize", "--vad-model", VAD, "--num-speakers", "3", THREE);
        assertEquals(3, rttm.out().lines().filter(l -> l.startsWith("SPEAKER three-speakers 1 ")).count(), rttm.out());
    }

    @Test
    void audioEventsAreTheSilencesOfTwoSecondsOrMore() throws Exception {
        CliTest.Run r = CliTest.sotto("transcribe", "--model", MODEL, "--device", "cpu", "--tag-audio-events",
                "--vad-model", VAD, "--format", "verbose_json", THREE);
        assertEquals(0, r.status(), r.err());
        JsonNode events = new ObjectMapper().readTree(r.out()).get("audio_events");
        // The pauses between the turns: 3.8-6.2 s (2.4 s) and 11.1-12.8 s (1.7 s, under the 2 s default).
        assertEquals(1, events.size(), events.toString());
        assertEquals("(silence)", events.get(0).get("text").asText());
        assertEquals(3.8, events.get(0).get("start").asDouble(), 0.15);
        assertEquals(6.2, events.get(0).get("end").asDouble(), 0.15);
        CliTest.Run shorter = CliTest.sotto("transcribe", "--model", MODEL, "--device", "cpu", "--tag-audio-events",
                "--min-silence", "1.2", "--vad-model", VAD, "--format", "json", THREE);
        assertEquals(3, new ObjectMapper().readTree(shorter.out()).get("audio_events").size(), shorter.out());
    }

    @Test
    void mistakesAreOneClearLine() {
        CliTest.Run noSuch = CliTest.sotto("diarize", "--vad-model", VAD, "--speaker-model", "/nonexistent/model.onnx", THREE);
        assertEquals(1, noSuch.status());
        assertTrue(noSuch.err().contains("/nonexistent/model.onnx: no such speaker model"), noSuch.err());
        CliTest.Run counts = CliTest.sotto("diarize", "--vad-model", VAD, "--min-speakers", "3", "--max-speakers", "2", THREE);
        assertEquals(1, counts.status());
        assertTrue(counts.err().contains("max speakers (2) is below min speakers (3)"), counts.err());
        CliTest.Run stream = CliTest.sotto("transcribe", "--model", MODEL, "--diarize", "--stream", "--vad-model", VAD, THREE);
        assertEquals(1, stream.status());
        assertTrue(stream.err().contains("drop --stream"), stream.err());
        assertTrue(!noSuch.err().contains("Exception") && !counts.err().contains("Exception"), "no stack traces");
    }
}
