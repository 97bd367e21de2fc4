package dev.sotto.diarize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.vad.SpeechSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Silences are the stretches outside speech, at the edges too, that last long enough. */
class SilenceTaggerTest {
    @Test
    void gapsBeforeBetweenAndAfterSpeech() {
        List<SpeechSegment> speech = List.of(new SpeechSegment(3 * 16000, 5 * 16000), new SpeechSegment(6 * 16000, 8 * 16000),
                new SpeechSegment(11 * 16000, 12 * 16000));
        assertEquals(List.of(new AudioEvent("(silence)", 0, 3), new AudioEvent("(silence)", 8, 11),
                new AudioEvent("(silence)", 12, 15)), SilenceTagger.gaps(speech, 15, 2.0));
        assertEquals(List.of(new AudioEvent("(silence)", 0, 20)), SilenceTagger.gaps(List.of(), 20, 2.0), "no speech: one silence");
    }
}
