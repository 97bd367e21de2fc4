package dev.sotto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.testing.WordChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Word grouping and timing on hand-made results, one per method, and the invariants on awkward ones. */
class WordsTest {
    private static Result result(WordTiming timing, Segment... segments) {
        List<Token> tokens = new ArrayList<>();
        for (Segment s : segments) tokens.addAll(s.tokens());
        return new Result("", tokens, Arrays.asList(segments), null, Double.NaN, timing);
    }

    /** Loudness: -80 dB, and -20 dB inside [from, to) of each pair. */
    private static FrameEnergy.View loud(double seconds, double... spans) {
        FrameEnergy energy = new FrameEnergy();
        float[] hop = new float[FrameEnergy.HOP];
        for (int f = 0; f < Math.round(seconds / FrameEnergy.HOP_SECONDS); f++) {
            double t = f * FrameEnergy.HOP_SECONDS + 1e-9;
            boolean on = false;
            for (int i = 0; i < spans.length; i += 2) on |= t >= spans[i] && t < spans[i + 1];
            Arrays.fill(hop, on ? 0.1f : 0.0001f);
            energy.accept(hop, 0, hop.length);
        }
        return energy.view();
    }

    @Test
    void transducerWordsStartEarlierByTheDelayAndEndWhereTheSoundStops() {
        // "hello world": sound at 1.00-1.45 and 1.60-2.10; the model emits 0.2 s late
        Segment s = new Segment(0, 1.0, 2.5, "hello world", List.of(new Token(" hel", 1, 1.2), new Token("lo", 2, 1.4),
                new Token(" world", 3, 1.82)), true, null);
        Result r = result(new WordTiming(WordTiming.Method.TOKEN_TIMES, 0.2, loud(3, 1.0, 1.45, 1.6, 2.1)), s);
        List<Word> words = WordChecks.assertInvariants(r, 3);
        assertEquals(List.of(new Word("hello", 1.0, 1.45), new Word("world", 1.62, 2.1)), round(words));
    }

    @Test
    void aStartInSilenceMovesToWhereTheSoundBegins() {
        Segment s = new Segment(0, 0.0, 2.0, "a b", List.of(new Token(" a", 1, 0.3), new Token(" b", 2, 1.3)), true, null);
        Result r = result(new WordTiming(WordTiming.Method.TOKEN_TIMES, 0.2, loud(2, 0.1, 0.4, 1.2, 1.5)), s);
        assertEquals(List.of(new Word("a", 0.1, 0.4), new Word("b", 1.2, 1.5)), round(WordChecks.assertInvariants(r, 2)));
    }

    @Test
    void withoutLoudnessWordsEndAtTheirDurationsOrTheNextWord() {
        Segment tdt = new Segment(0, 0.5, 2.0, "a b", List.of(new Token(" a", 1, 0.5, 0.24), new Token(" b", 2, 1.0, 0.4)),
                true, null);
        assertEquals(List.of(new Word("a", 0.5, 0.74), new Word("b", 1.0, 1.4)),
                round(WordChecks.assertInvariants(result(WordTiming.RAW, tdt), 2)));
        Segment rnnt = new Segment(0, 0.5, 2.0, "a b", List.of(new Token(" a", 1, 0.5), new Token(" b", 2, 1.0)), true, null);
        assertEquals(List.of(new Word("a", 0.5, 1.0), new Word("b", 1.0, 2.0)),
                round(WordChecks.assertInvariants(result(WordTiming.RAW, rnnt), 2)));
    }

    @Test
    void whisperCharacterTimingSkipsTimestampTokens() {
        // Whisper: timestamp tokens have no text; text tokens start at their character position
        Segment s = new Segment(0, 0.0, 2.0, " ab cd", List.of(new Token("", 50364, 0.0), new Token(" ab", 1, 0.0),
                new Token(" cd", 2, 1.0), new Token("", 50464, 2.0)), true, null);
        Result r = result(new WordTiming(WordTiming.Method.CHARACTERS, 0, FrameEnergy.View.NONE), s);
        assertEquals(List.of(new Word("ab", 0.0, 1.0), new Word("cd", 1.0, 2.0)), round(WordChecks.assertInvariants(r, 2)));
    }

    @Test
    void crossAttentionWordsSpanTheirTokens() {
        Segment s = new Segment(0, 0.0, 3.0, " one two", List.of(new Token(" one", 1, 0.2, 0.3), new Token(" tw", 2, 0.9, 0.1),
                new Token("o", 3, 1.0, 0.2)), true, null);
        Result r = result(new WordTiming(WordTiming.Method.CROSS_ATTENTION, 0, FrameEnergy.View.NONE), s);
        assertEquals(List.of(new Word("one", 0.2, 0.5), new Word("two", 0.9, 1.2)), round(WordChecks.assertInvariants(r, 3)));
    }

    @Test
    void scriptsWithoutSpacesMakeAWordOfEachTokenAndPunctuationStaysWithItsWord() {
        Segment s = new Segment(0, 0.0, 1.0, "", List.of(new Token("水", 1, 0.0), new Token("を", 2, 0.2),
                new Token(" Hello", 3, 0.4), new Token(",", 4, 0.6), new Token(" world", 5, 0.8)), true, null);
        List<Word> words = Words.of(result(WordTiming.RAW, s), s, 1.0);
        assertEquals(List.of("水", "を", "Hello,", "world"), words.stream().map(Word::text).toList());
    }

    /** Out-of-order, overlapping, out-of-range token times and long delays still give valid words. */
    @Test
    void invariantsHoldOnAwkwardInput() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double duration = 0.5 + random.nextDouble() * 5;
            List<Segment> segments = new ArrayList<>();
            double t = 0;
            for (int id = 0; id < 3; id++) {
                List<Token> tokens = new ArrayList<>();
                for (int k = 0; k < 1 + random.nextInt(6); k++) {
                    double start = t + random.nextGaussian() * 0.5;
                    tokens.add(new Token(random.nextBoolean() ? " w" + k : "x", k, start, random.nextBoolean() ? random.nextDouble() : 0));
                }
                double end = t + random.nextDouble() * 3;
                segments.add(new Segment(id, Math.max(0, t), Math.max(0, end), "", tokens, true, null));
                t = Math.max(t, end);
            }
            WordTiming.Method method = WordTiming.Method.values()[trial % 3];
            FrameEnergy.View energy = trial % 2 == 0 ? loud(duration, 0.2, 0.9, 1.5, 3) : FrameEnergy.View.NONE;
            Result r = result(new WordTiming(method, random.nextDouble() * 0.4, energy), segments.toArray(new Segment[0]));
            WordChecks.assertInvariants(r, duration);
        }
    }

    private static List<Word> round(List<Word> words) {
        return words.stream().map(w -> new Word(w.text(), Math.round(w.start() * 1000) / 1000.0,
                Math.round(w.end() * 1000) / 1000.0)).toList();
    }
}
