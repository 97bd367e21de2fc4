package dev.sotto.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import java.util.List;

/** The invariants every family's word times keep, asserted on a result. */
public final class WordChecks {
    private WordChecks() {
    }

    /**
     * {@code 0 <= start <= end <= duration}, monotone (each word starts no earlier than the
     * previous one ended), each word inside its segment (as far as it lies within the audio). Returns all words.
     */
    public static List<Word> assertInvariants(Result r, double duration) {
        double previousEnd = 0;
        for (Segment s : r.segments()) {
            for (Word w : Words.of(r, s, duration)) {
                String what = w + " in segment " + s.id() + " [" + s.start() + ", " + s.end() + "], duration " + duration;
                assertTrue(0 <= w.start() && w.start() <= w.end() && w.end() <= duration, what);
                assertTrue(w.start() >= previousEnd - 1e-9, "monotone: " + what + " after " + previousEnd);
                // a segment reaching past the audio (a model's rounding) holds its words up to the audio's end
                double from = Math.min(s.start(), duration);
                assertTrue(w.start() >= from - 1e-9 && w.end() <= Math.max(from, Math.min(s.end(), duration)) + 1e-9,
                        "inside its segment: " + what);
                previousEnd = w.end();
            }
        }
        return Words.all(r, duration);
    }
}
