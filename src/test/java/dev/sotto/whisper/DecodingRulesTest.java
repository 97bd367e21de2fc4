package dev.sotto.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of decoding, against openai/whisper's rules, on hand-made logits. */
class DecodingRulesTest {
    static final SpecialTokens V2 = SpecialTokens.forVocabulary(51865);
    static final int TS = V2.timestampBegin();
    static final int EOT = V2.eot();

    static LogitFilters filters() {
        return new LogitFilters(V2, LogitFilters.suppressedTokens(V2, new int[] {1, 2}), new int[] {220}, true, 50);
    }

    static float[] flat() {
        float[] l = new float[V2.vocabSize()];
        Arrays.fill(l, 0f);
        return l;
    }

    static boolean masked(float[] l, int token) {
        return l[token] == Float.NEGATIVE_INFINITY;
    }

    @Test
    void theFirstTokenIsATimestampNoLaterThanOneSecond() {
        float[] l = flat();
        filters().apply(l, new int[0], 0);
        assertTrue(masked(l, 500) && masked(l, EOT) && masked(l, 220), "no text, end or blank first");
        assertTrue(!masked(l, TS) && !masked(l, TS + 50), "<|0.00|> .. <|1.00|> allowed");
        assertTrue(masked(l, TS + 51), "<|1.02|> is too late");
        assertTrue(masked(l, V2.noTimestamps()) && masked(l, V2.noSpeech()) && masked(l, V2.sot()) && masked(l, 1));
    }

    @Test
    void timestampsComeInPairsAndNeverGoBack() {
        // After <|0.40|> text: a timestamp > 0.40 may close the segment, or text goes on.
        // (A likely text token keeps the ~1500 timestamps from outweighing text, see below.)
        float[] l = flat();
        l[600] = 20f;
        filters().apply(l, new int[] {TS + 20, 500}, 2);
        assertTrue(masked(l, TS + 20) && !masked(l, TS + 21) && !masked(l, 600));
        // After <|0.40|> text <|1.00|>: no text; the next timestamp may repeat 1.00, or end.
        l = flat();
        l[EOT] = 20f;
        filters().apply(l, new int[] {TS + 20, 500, TS + 50}, 3);
        assertTrue(masked(l, 600) && !masked(l, EOT) && !masked(l, TS + 50) && masked(l, TS + 49));
        // After a pair: text or end, no timestamp.
        l = flat();
        filters().apply(l, new int[] {TS + 20, 500, TS + 50, TS + 50}, 4);
        assertTrue(masked(l, TS + 60) && !masked(l, 600) && !masked(l, EOT));
    }

    @Test
    void likelyTimestampsTogetherOutweighTheBestTextToken() {
        float[] l = flat();
        Arrays.fill(l, -50f);
        l[700] = 0f;                                   // the best text token
        for (int t = TS + 30; t < TS + 34; t++) l[t] = -0.5f;   // four timestamps, each less likely, together more
        filters().apply(l, new int[] {TS, 500}, 2);
        assertTrue(masked(l, 700), "text is masked so a timestamp is sampled");
    }

    @Test
    void segmentsAreCutAtConsecutiveTimestamps() {
        // <|0.00|> a b <|1.00|><|1.20|> c <|2.00|> : two complete segments, output ends with one timestamp.
        SegmentSplitter.Split s = SegmentSplitter.split(new int[] {TS, 10, 11, TS + 50, TS + 60, 12, TS + 100}, TS, 3000);
        assertEquals(2, s.pieces().size());
        assertEquals(0.0, s.pieces().get(0).start());
        assertEquals(1.0, s.pieces().get(0).end(), 1e-12);
        assertEquals(1.2, s.pieces().get(1).start(), 1e-12);
        assertEquals(2.0, s.pieces().get(1).end(), 1e-12);
        assertEquals(3000, s.advance(), "a lone final timestamp: everything was heard");
        // ... <|2.00|><|2.50|> d e   (cut by the window): seek to 2.00 s = 200 frames.
        s = SegmentSplitter.split(new int[] {TS, 10, TS + 100, TS + 125, 13, 14}, TS, 3000);
        assertEquals(1, s.pieces().size());
        assertEquals(200, s.advance());
        assertArrayEquals(new int[] {TS + 125, 13, 14}, s.unfinished());
        // No pair: one segment from the window start to the last timestamp.
        s = SegmentSplitter.split(new int[] {TS + 30, 10, 11, TS + 80}, TS, 2500);
        assertEquals(List.of(0.0, 1.6), List.of(s.pieces().get(0).start(), s.pieces().get(0).end()));
        assertEquals(2500, s.advance());
    }

    @Test
    void beamSearchKeepsTheBestContinuationsAndRanksByLengthNormalisedScore() {
        int[] prompt = {V2.sot()};
        Hypotheses h = new Hypotheses(new int[][] {prompt, prompt}, 1);
        BeamSearch search = new BeamSearch(2, EOT, 1.0);
        float[] step = flat();
        Arrays.fill(step, -100f);
        step[10] = 0f;
        step[11] = -0.1f;
        step[EOT] = -5f;
        int[] source = search.update(h, new float[][] {step.clone(), step.clone()});
        // Identical beams propose identical sequences; as in openai's dict, the last proposer is the source.
        assertArrayEquals(new int[] {1, 1}, source);
        assertEquals(10, h.last(0));
        assertEquals(11, h.last(1));
        float[] end = flat();
        Arrays.fill(end, -100f);
        end[EOT] = 0f;
        search.update(h, new float[][] {end.clone(), end.clone()});
        assertTrue(search.completed());
        List<TokenSearch.Candidate> done = search.finish(h).get(0);
        assertEquals(2, done.size(), "end-of-text ranked below both kept beams, so it was not collected");
        int best = TokenSearch.rank(done, 1, EOT, null);
        assertArrayEquals(new int[] {V2.sot(), 10, EOT}, done.get(best).tokens());
    }

    @Test
    void greedySamplingIsSeededAndFinishedRowsStayFinished() {
        int[] prompt = {V2.sot()};
        float[] l = flat();
        Arrays.fill(l, Float.NEGATIVE_INFINITY);
        for (int t = 100; t < 110; t++) l[t] = 0f;
        String a = sample(l, 42);
        assertEquals(a, sample(l, 42));
        assertTrue(!a.equals(sample(l, 43)) || !a.equals(sample(l, 44)), "different seeds give different samples");
        Hypotheses h = new Hypotheses(new int[][] {{V2.sot(), EOT}}, 1);
        new GreedySearch(0, EOT, 1, new long[] {0}).update(h, new float[][] {l});
        assertEquals(EOT, h.last(0));
        assertEquals(0.0, h.logprob[0], "nothing is added after end-of-text");
    }

    private static String sample(float[] logits, long seed) {
        Hypotheses h = new Hypotheses(new int[][] {{V2.sot()}}, 1);
        GreedySearch g = new GreedySearch(1.0, EOT, 1, new long[] {seed});
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            g.update(h, new float[][] {logits});
            sb.append(h.last(0)).append(' ');
        }
        return sb.toString();
    }

    @Test
    void compressionRatioIsZlibs() {
        // Values from Python: len(b) / len(zlib.compress(b)).
        assertEquals(17.0 / 20, DecodeResult.compressionRatio("one two, one two."), 1e-9);
        assertEquals(36.0 / 41, DecodeResult.compressionRatio("Hello world. The cat sat on the mat."), 1e-9);
        assertEquals(179.0 / 14, DecodeResult.compressionRatio("la ".repeat(59) + "la"), 1e-9);
    }
}
