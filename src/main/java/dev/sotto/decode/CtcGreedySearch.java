package dev.sotto.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * CTC greedy search: the best symbol of each frame, repeats collapsed, blanks dropped. A
 * token starts at the first frame of its run and lasts the run's frames. Frames may come
 * chunk by chunk: a run continues across chunks.
 */
public final class CtcGreedySearch implements FrameSearch {
    private final int blank;

    public CtcGreedySearch(int blank) {
        this.blank = blank;
    }

    private final class State implements SearchState {
        final List<Emission> tokens = new ArrayList<>();
        int last = blank;           // the previous frame's symbol
        int trailingBlanks;

        @Override
        public List<Emission> tokens() {
            return tokens;
        }

        @Override
        public int trailingBlanks() {
            return trailingBlanks;
        }

        @Override
        public void commit() {
            last = blank;   // a token after an endpoint is a new token, even when it repeats the last one
        }

        @Override
        public void restart(PredictorState initial) {
            last = blank;
        }

        void step(float[] logProbs, long frame) {
            int best = Scores.argmax(logProbs, 0, logProbs.length);
            if (best == blank) {
                trailingBlanks++;
            } else if (best == last) {
                Emission e = tokens.get(tokens.size() - 1);
                tokens.set(tokens.size() - 1, new Emission(e.token(), e.frame(), e.duration() + 1));
            } else {
                tokens.add(new Emission(best, frame, 1));
                trailingBlanks = 0;
            }
            last = best;
        }
    }

    @Override
    public SearchState start() {
        return new State();
    }

    @Override
    public void search(List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
        for (int s = 0; s < states.size(); s++) {
            State state = (State) states.get(s);
            float[][] f = frames.get(s);
            for (int t = 0; t < f.length; t++) state.step(f[t], firstFrame[s] + t);
        }
    }
}
