package dev.sotto.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Modified beam search emits nothing on frames an engine marks as its own added silence. */
class SilentLeadTest {
    private static final int A = 1;

    /** Frame 0 favours a, and after a blank is certain; without a, frame 1 is unsure: a·blank wins. */
    static TableTransducer eager() {
        return new TableTransducer(4, 0, 1)
                .row(0, TableTransducer.START, 0.4, 0.6, 0, 0)
                .row(1, A, 1.0, 0, 0, 0)
                .row(1, TableTransducer.START, 0.5, 0.3, 0.2, 0);
    }

    static List<Emission> run(long silentUntil) {
        ModifiedBeamSearch search = new ModifiedBeamSearch(4);
        TableTransducer model = eager();
        SearchState state = search.start(model);
        state.silentUntil(silentUntil);
        search.search(model, List.of(state), List.<float[][]>of(TableTransducer.frames(0, 2)), new long[] {0});
        return state.tokens();
    }

    @Test
    void noTokenOnTheAddedSilence() {
        assertEquals(List.of(new Emission(A, 0)), run(0));
        assertEquals(List.of(new Emission(A, 1)), run(1));
    }
}
