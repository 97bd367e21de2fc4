package dev.sotto.decode;

import java.util.List;

/**
 * A search bound to its model, over whatever frames the model's head produces: encoder
 * frames for a transducer (whose joint and prediction network the search runs), log
 * probabilities for CTC. Batched over streams or pieces, one {@link SearchState} each.
 */
public interface FrameSearch {
    SearchState start();

    /**
     * Consumes the next frames of each state: {@code frames.get(i)} is [T][D] for
     * {@code states.get(i)}; {@code firstFrame[i]} is the index of its first frame since the stream began.
     */
    void search(List<SearchState> states, List<float[][]> frames, long[] firstFrame);

    /** A transducer search over {@code model}. */
    static FrameSearch of(TransducerSearch search, TransducerModel model) {
        return new FrameSearch() {
            @Override
            public SearchState start() {
                return search.start(model);
            }

            @Override
            public void search(List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
                search.search(model, states, frames, firstFrame);
            }
        };
    }
}
