package dev.sotto.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.diarize.SpeakerTurn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DER on turns whose errors can be counted by hand. */
class DiarizationErrorRateTest {
    static final List<DiarizationErrorRate.Turn> REF = List.of(new DiarizationErrorRate.Turn("a", 0, 10),
            new DiarizationErrorRate.Turn("b", 10, 20));

    @Test
    void perfectUpToRenamingIsZero() {
        var s = DiarizationErrorRate.score(REF, List.of(new SpeakerTurn(1, 0, 10), new SpeakerTurn(0, 10, 20)), 0.25);
        assertEquals(0, s.der(), 1e-9);
    }

    @Test
    void missedFalseAlarmAndConfusionAreCountedOutsideTheCollar() {
        // No collar: hyp misses 0-2, calls 10-12 speaker "a" (confusion 2 s), adds 20-21 (false alarm 1 s).
        var s = DiarizationErrorRate.score(REF, List.of(new SpeakerTurn(0, 2, 12), new SpeakerTurn(1, 12, 21)), 0);
        assertEquals(2, s.missed(), 1e-6);
        assertEquals(2, s.confusion(), 1e-6);
        assertEquals(1, s.falseAlarm(), 1e-6);
        assertEquals(20, s.reference(), 1e-6);
        assertEquals(0.25, s.der(), 1e-6);
        // A 0.5 s collar removes 0.5 s around 0, 10 and 20 (3 x 1 s minus the ends outside [0, 20]).
        var c = DiarizationErrorRate.score(REF, List.of(new SpeakerTurn(0, 2, 12), new SpeakerTurn(1, 12, 21)), 0.5);
        assertEquals(18, c.reference(), 1e-6);
        assertEquals(1.5, c.missed(), 1e-6);
        assertEquals(1.5, c.confusion(), 1e-6);
    }

    @Test
    void overlappedReferenceSpeechCountsOncePerSpeaker() {
        var ref = List.of(new DiarizationErrorRate.Turn("a", 0, 10), new DiarizationErrorRate.Turn("b", 5, 10));
        var s = DiarizationErrorRate.score(ref, List.of(new SpeakerTurn(0, 0, 10)), 0);
        assertEquals(15, s.reference(), 1e-6);
        assertEquals(5, s.missed(), 1e-6);
    }
}
