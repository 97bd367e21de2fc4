package dev.sotto.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TDT greedy search and the NeMo-style beam search on hand-built joint tables: tokens
 * a = 1, b = 2, blank = 3 (last, as in NeMo); durations 0..4. A row gives, for a frame and
 * the last token emitted, the token and the duration the joint picks.
 */
class TdtSearchTest {
    static final int A = 1;
    static final int B = 2;
    static final int BLANK = 3;

    /** Rows are (token, duration); unlisted rows are (blank, 1). */
    static final class Table implements TransducerModel {
        private final Map<String, int[]> rows = new HashMap<>();
        private final boolean tdt;
        int jointCalls;

        Table(boolean tdt) {
            this.tdt = tdt;
        }

        Table row(int frame, int last, int token, int duration) {
            rows.put(frame + "/" + last, new int[] {token, duration});
            return this;
        }

        record Last(int token) implements PredictorState {
        }

        @Override
        public int blankId() {
            return BLANK;
        }

        @Override
        public int vocabSize() {
            return 4;
        }

        @Override
        public int maxSymbolsPerFrame() {
            return 10;
        }

        @Override
        public int[] durations() {
            return tdt ? new int[] {0, 1, 2, 3, 4} : new int[0];
        }

        @Override
        public PredictorState initialState() {
            return new Last(-1);
        }

        @Override
        public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
            List<PredictorState> out = new ArrayList<>();
            for (int t : tokens) out.add(new Last(t));
            return out;
        }

        @Override
        public float[][] joint(List<float[]> frames, List<PredictorState> states) {
            jointCalls++;
            float[][] out = new float[frames.size()][];
            for (int i = 0; i < out.length; i++) {
                int[] r = rows.getOrDefault((int) frames.get(i)[0] + "/" + ((Last) states.get(i)).token(), new int[] {BLANK, 1});
                out[i] = new float[4 + (tdt ? 5 : 0)];
                out[i][r[0]] = 5;
                if (tdt) out[i][4 + r[1]] = 5;
            }
            return out;
        }
    }

    static float[][] frames(int from, int to) {
        float[][] f = new float[to - from][];
        for (int i = from; i < to; i++) f[i - from] = new float[] {i};
        return f;
    }

    static List<Emission> run(TransducerSearch search, TransducerModel model, int... chunks) {
        SearchState state = search.start(model);
        int at = 0;
        for (int n : chunks) {
            search.search(model, List.of(state), List.<float[][]>of(frames(at, at + n)), new long[] {at});
            at += n;
        }
        return state.tokens();
    }

    /** a at 0 lasting 2, b at 2 lasting 0 then blank jumping 3: frames 1, 3, 4 and 6 are never looked at. */
    static Table jumps() {
        return new Table(true)
                .row(0, -1, A, 2)
                .row(1, -1, B, 1).row(1, A, B, 1)         // would be heard if frame 1 were visited
                .row(2, A, B, 0)
                .row(2, B, BLANK, 3)
                .row(5, B, A, 4)
                .row(6, A, B, 1);                         // skipped by a's duration
    }

    @Test
    void greedyJumpsByTheDurationsAndKeepsThemAsTokenDurations() {
        List<Emission> expected = List.of(new Emission(A, 0, 2), new Emission(B, 2, 0), new Emission(A, 5, 4));
        assertEquals(expected, run(new TdtGreedySearch(), jumps(), 12));
        assertEquals(expected, run(new TdtGreedySearch(), jumps(), 1, 3, 2, 1, 5), "chunk by chunk, jumps carry over");
    }

    @Test
    void atMostFiveSymbolsStayOnAFrameAndABlankThatStaysMovesOn() {
        Table model = new Table(true);
        for (int last : new int[] {-1, A}) model.row(0, last, A, 0);   // a, forever, on frame 0
        model.row(1, A, BLANK, 0);                                      // blank with duration 0 on frame 1
        model.row(2, A, B, 1);
        List<Integer> ids = run(new TdtGreedySearch(), model, 3).stream().map(Emission::token).toList();
        assertEquals(List.of(A, A, A, A, A, B), ids);
    }

    @Test
    void streamsAreBatchedOneJointCallPerStep() {
        Table model = jumps();
        TdtGreedySearch search = new TdtGreedySearch();
        SearchState one = search.start(model);
        SearchState two = search.start(model);
        search.search(model, List.of(one, two), List.of(frames(0, 12), frames(0, 3)), new long[2]);
        assertEquals(run(new TdtGreedySearch(), jumps(), 12), one.tokens());
        assertEquals(run(new TdtGreedySearch(), jumps(), 3), two.tokens());
    }

    @Test
    void beamSearchFollowsTheSameDurationsAndStopsAtTenSymbols() {
        assertEquals(run(new TdtGreedySearch(), jumps(), 12), run(new DurationBeamSearch(4, -1), jumps(), 12));
        Table model = new Table(true);
        for (int last : new int[] {-1, A}) model.row(0, last, A, 0);
        assertEquals(10, run(new DurationBeamSearch(4, -1), model, 2).size(), "sherpa-onnx's limit in beam search");
    }

    @Test
    void beamSearchOnAPlainRnntStaysOnTheFrameAfterATokenAndTreatsUnkAsBlank() {
        Table model = new Table(false).row(0, -1, A, 0).row(0, A, B, 0).row(1, B, A, 0);
        List<Emission> greedy = run(new GreedySearch(), model, 3);
        assertEquals(List.of(new Emission(A, 0), new Emission(B, 0), new Emission(A, 1)), greedy);
        assertEquals(greedy, run(new DurationBeamSearch(3, -1), model, 3));
        assertEquals(List.of(new Emission(A, 0)), run(new DurationBeamSearch(3, B), model, 3), "b is <unk> here");
    }
}
