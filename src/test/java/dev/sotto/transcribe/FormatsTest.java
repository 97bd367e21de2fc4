package dev.sotto.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Token;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subtitle timing and cue cutting, on hand-made results. */
class FormatsTest {
    static Result oneSegment(String text, double secondsPerWord) {
        List<Token> tokens = new ArrayList<>();
        double t = 1.0;
        for (String w : text.split(" ")) {
            tokens.add(new Token(" " + w, 0, t));
            t += secondsPerWord;
        }
        Segment s = new Segment(0, 1.0, t, text, tokens, true, null);
        return new Result(text, tokens, List.of(s), null, Double.NaN);
    }

    @Test
    void timesAreFormattedForSrtAndVtt() {
        assertEquals("01:02:03,456", Formats.time(3723.456, ','));
        assertEquals("00:00:00.000", Formats.time(-0.2, '.'));
    }

    @Test
    void longSegmentsAreCutIntoBalancedCues() {
        String text = "he hoped there would be stew for dinner turnips and carrots and bruised potatoes and fat "
                + "mutton pieces to be ladled out in thick peppered flour fattened sauce";
        List<Formats.Cue> cues = Formats.cues(oneSegment(text, 0.3));
        assertEquals(2, cues.size(), cues.toString());
        for (Formats.Cue c : cues) {
            assertTrue(c.text().length() <= Formats.MAX_CUE_CHARS && c.end() - c.start() <= Formats.MAX_CUE_SECONDS + 0.3, c.toString());
            assertTrue(c.text().split(" ").length >= 10, "no dangling cue: " + c);
        }
        assertEquals(text, cues.get(0).text() + " " + cues.get(1).text());
        assertEquals(cues.get(0).end(), cues.get(1).start(), 1e-9, "cues meet");
    }

    @Test
    void slowSpeechIsCutByDuration() {
        List<Formats.Cue> cues = Formats.cues(oneSegment("one two three four five six seven eight", 2.0));
        assertTrue(cues.size() >= 3, cues.toString());
        assertTrue(cues.stream().allMatch(c -> c.end() - c.start() <= Formats.MAX_CUE_SECONDS + 2.0));
    }
}
