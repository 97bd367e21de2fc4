package dev.sotto.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CTC greedy and prefix beam search on hand-written frames: tokens a = 0, b = 1, blank = 2 (last). */
class CtcSearchTest {
    static final int A = 0;
    static final int B = 1;
    static final int BLANK = 2;

    /** Frames of log-probabilities from rows of probabilities (a, b, blank). */
    static float[][] frames(double[]... probs) {
        float[][] out = new float[probs.length][3];
        for (int t = 0; t < probs.length; t++) {
            for (int k = 0; k < 3; k++) out[t][k] = (float) Math.log(Math.max(probs[t][k], 1e-12));
        }
        return out;
    }

    static double[] p(double a, double b, double blank) {
        return new double[] {a, b, blank};
    }

    static List<Emission> run(FrameSearch search, float[][]... chunks) {
        SearchState state = search.start();
        long at = 0;
        for (float[][] c : chunks) {
            search.search(List.of(state), List.<float[][]>of(c), new long[] {at});
            at += c.length;
        }
        return state.tokens();
    }

    static final float[][] AAB = frames(p(.9, .05, .05), p(.8, .1, .1), p(.1, .1, .8), p(.9, .05, .05), p(.1, .8, .1),
            p(.1, .8, .1), p(.05, .05, .9));

    @Test
    void greedyCollapsesRunsDropsBlanksAndTimesTokensByTheirRun() {
        List<Emission> expected = List.of(new Emission(A, 0, 2), new Emission(A, 3, 1), new Emission(B, 4, 2));
        assertEquals(expected, run(new CtcGreedySearch(BLANK), AAB));
        float[][] first = java.util.Arrays.copyOfRange(AAB, 0, 5);
        float[][] rest = java.util.Arrays.copyOfRange(AAB, 5, AAB.length);
        assertEquals(expected, run(new CtcGreedySearch(BLANK), first, rest), "a run continues across chunks");
    }

    @Test
    void prefixBeamSearchAddsUpTheAlignmentsOfAText() {
        // blank wins each frame (0.6), but "a" has 1 - 0.6 * 0.6 = 0.64 of the probability
        float[][] soft = frames(p(.4, 0, .6), p(.4, 0, .6));
        assertEquals(List.of(), run(new CtcGreedySearch(BLANK), soft));
        assertEquals(List.of(A), run(new CtcPrefixBeamSearch(4, BLANK), soft).stream().map(Emission::token).toList());
    }

    @Test
    void prefixBeamSearchNeedsABlankBetweenRepeatsAndKeepsTheLikeliestPathsTimes() {
        List<Emission> tokens = run(new CtcPrefixBeamSearch(4, BLANK), AAB);
        assertEquals(List.of(A, A, B), tokens.stream().map(Emission::token).toList());
        assertEquals(List.of(0L, 3L, 4L), tokens.stream().map(Emission::frame).toList());
        float[][] held = frames(p(.9, .05, .05), p(.9, .05, .05));
        assertEquals(List.of(A), run(new CtcPrefixBeamSearch(4, BLANK), held).stream().map(Emission::token).toList());
    }
}
