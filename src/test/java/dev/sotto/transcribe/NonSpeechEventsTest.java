package dev.sotto.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.diarize.AudioEvent;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Word;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whisper's bracketed non-speech texts as they come out of engine.Words. */
class NonSpeechEventsTest {
    @Test
    void bracketsAndNotesBecomeEventsOverTheirWords() {
        List<Word> words = List.of(new Word("[Music]", 0.0, 1.5), new Word("Hello", 1.5, 2.0), new Word("(laughs)", 2.0, 2.6),
                new Word("[Audience", 3.0, 3.4), new Word("applauding]", 3.4, 4.0), new Word("♪", 5.0, 5.1),
                new Word("la", 5.1, 5.5), new Word("la", 5.5, 6.0), new Word("♪", 6.0, 6.2), new Word("(unclosed", 7.0, 7.5),
                new Word("end.", 7.5, 8.0));
        assertEquals(List.of(new AudioEvent("(music)", 0.0, 1.5), new AudioEvent("(laughs)", 2.0, 2.6),
                new AudioEvent("(audience applauding)", 3.0, 4.0), new AudioEvent("(music)", 5.0, 6.2)),
                NonSpeechEvents.of(words));
        assertEquals(List.of(), NonSpeechEvents.of(List.of(new Word("No", 0, 1), new Word("events.", 1, 2))));
    }

    @Test
    void keepingNonSpeechIsOffByDefaultAndSurvivesToBuilder() {
        assertFalse(DecodingConfig.DEFAULT.keepNonSpeech());
        DecodingConfig kept = DecodingConfig.builder().beamSize(3).keepNonSpeech(true).build();
        assertTrue(kept.toBuilder().build().keepNonSpeech());
        assertEquals(3, kept.toBuilder().build().beamSize());
    }
}
