package dev.sotto.decode;

import java.util.List;

/** A search over encoder frames (greedy, modified beam), batched over streams. */
public interface TransducerSearch {
    SearchState start(TransducerModel model);

    /**
     * Consumes the next encoder frames of each stream: {@code frames.get(i)} is [T][D] for
     * {@code states.get(i)}; {@code firstFrame[i]} is the index of its first frame since the stream began.
     */
    void search(TransducerModel model, List<SearchState> states, List<float[][]> frames, long[] firstFrame);
}
