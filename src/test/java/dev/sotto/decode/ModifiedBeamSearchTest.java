package dev.sotto.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Modified beam search on hand-built joint tables (TableTransducer): tokens a = 1, b = 2,
 * c = 3, blank = 0 unless said otherwise. Path probabilities in the comments are products
 * of the table entries.
 */
class ModifiedBeamSearchTest {
    private static final int A = 1;
    private static final int B = 2;

    private static List<Emission> run(TransducerSearch search, TransducerModel model, int frames) {
        SearchState state = search.start(model);
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(0, frames)), new long[] {0});
        return state.tokens();
    }

    private static List<Integer> ids(List<Emission> emissions) {
        return emissions.stream().map(Emission::token).toList();
    }

    /**
     * Frame 0 favours a (0.45) over b (0.35), but after a nothing is likely, while after b
     * blank is: a·blank = 0.45·0.32 = 0.144 (plus blank·a = 0.2·0.05 = 0.01), b·blank =
     * 0.35·0.9 = 0.315. Greedy commits to a; the beam keeps b and finds the better path.
     */
    static TableTransducer greedyTrap() {
        return new TableTransducer(4, 0, 1)
                .row(0, TableTransducer.START, 0.2, 0.45, 0.35, 0.0)
                .row(1, A, 0.32, 0.1, 0.3, 0.28)
                .row(1, B, 0.9, 0.04, 0.03, 0.03)
                .row(1, TableTransducer.START, 0.9, 0.05, 0.05, 0.0);
    }

    @Test
    void beamFindsThePathGreedyMisses() {
        assertEquals(List.of(A), ids(run(new GreedySearch(), greedyTrap(), 2)));
        assertEquals(List.of(B), ids(run(new ModifiedBeamSearch(4), greedyTrap(), 2)));
    }

    /**
     * b alone is the single most likely path (0.4·1), but a is reached two ways, a·blank =
     * 0.25·1 and blank·a = 0.35·(0.25/0.35) = 0.25: merged, 0.5 beats 0.4. Without the
     * log-add the search would answer b.
     */
    @Test
    void identicalTokenSequencesAreMergedByAddingProbabilities() {
        TableTransducer model = new TableTransducer(4, 0, 1)
                .row(0, TableTransducer.START, 0.35, 0.25, 0.4, 0.0)
                .row(1, A, 1.0, 0, 0, 0)
                .row(1, B, 1.0, 0, 0, 0)
                .row(1, TableTransducer.START, 0.1 / 0.35, 0.25 / 0.35, 0, 0);
        assertEquals(List.of(B), ids(run(new GreedySearch(), model, 2)));
        assertEquals(List.of(A), ids(run(new ModifiedBeamSearch(4), model, 2)));
    }

    @Test
    void mergedLogProbabilityIsTheLogOfTheSum() {
        assertEquals(Math.log(0.5), ModifiedBeamSearch.logAdd(Math.log(0.25), Math.log(0.25)), 1e-12);
        assertEquals(Math.log(0.3), ModifiedBeamSearch.logAdd(Math.log(0.3), Double.NEGATIVE_INFINITY), 1e-12);
    }

    @Test
    void blankNeedNotBeZero() {
        // The greedy trap with NeMo's convention: blank is the last id (3), c moves to 0.
        TableTransducer model = new TableTransducer(4, 3, 10)
                .row(0, TableTransducer.START, 0.0, 0.45, 0.35, 0.2)
                .row(1, A, 0.28, 0.1, 0.3, 0.32)
                .row(1, B, 0.03, 0.04, 0.03, 0.9)
                .row(1, TableTransducer.START, 0.0, 0.05, 0.05, 0.9);
        assertEquals(List.of(B), ids(run(new ModifiedBeamSearch(4), model, 2)));
    }

    @Test
    void atMostOneSymbolPerFrameEvenWhenTheModelAllowsMore() {
        // Token a is certain on every frame, whatever came before: one a per frame, no more.
        TableTransducer model = new TableTransducer(4, 0, 10);
        for (int f = 0; f < 3; f++) {
            for (int last : new int[] {TableTransducer.START, A}) model.row(f, last, 0.01, 0.97, 0.01, 0.01);
        }
        List<Emission> tokens = run(new ModifiedBeamSearch(4), model, 3);
        assertEquals(List.of(new Emission(A, 0), new Emission(A, 1), new Emission(A, 2)), tokens);
    }

    @Test
    void beamOfOneIsGreedyWithOneSymbolPerFrame() {
        assertEquals(run(new GreedySearch(), greedyTrap(), 2), run(new ModifiedBeamSearch(1), greedyTrap(), 2));
    }

    @Test
    void streamsAreBatchedIntoSharedCallsAndGiveTheSameResultsAsAlone() {
        TableTransducer model = greedyTrap();
        ModifiedBeamSearch search = new ModifiedBeamSearch(4);
        SearchState first = search.start(model);
        SearchState second = search.start(model);
        // The second stream sees only frame 1 (starting there), the first sees frames 0 and 1.
        search.search(model, List.of(first, second), List.of(TableTransducer.frames(0, 2), TableTransducer.frames(1, 2)),
                new long[] {0, 1});
        assertEquals(2, model.jointCalls, "one joint call per frame for both streams");
        assertEquals(List.of(new Emission(B, 0)), first.tokens());
        assertEquals(List.of(), second.tokens(), "from the start, frame 1 is blank with 0.9");
        assertEquals(1, second.trailingBlanks());
    }

    @Test
    void timesCountFromTheStreamStartAcrossCalls() {
        TableTransducer model = greedyTrap();
        ModifiedBeamSearch search = new ModifiedBeamSearch(4);
        SearchState state = search.start(model);
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(0, 1)), new long[] {0});
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(1, 2)), new long[] {1});
        assertEquals(List.of(new Emission(B, 0)), state.tokens());
        assertEquals(1, state.trailingBlanks());
    }

    @Test
    void commitKeepsTheBestAndRestartKeepsItsTokens() {
        TableTransducer model = greedyTrap();
        ModifiedBeamSearch search = new ModifiedBeamSearch(4);
        SearchState state = search.start(model);
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(0, 2)), new long[] {0});
        state.commit();
        state.restart(model.initialState());
        assertEquals(List.of(new Emission(B, 0)), state.tokens());
        // After a restart the prediction network starts over: frame 1 is read "from the start".
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(1, 2)), new long[] {2});
        assertEquals(List.of(B), ids(state.tokens()));
        assertTrue(state.trailingBlanks() >= 1);
    }
}
