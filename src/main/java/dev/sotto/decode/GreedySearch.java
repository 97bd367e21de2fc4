package dev.sotto.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Transducer greedy search, batched over streams: for each encoder frame, run the joint,
 * take the argmax; on a token, emit it, feed it to the prediction network and try the
 * same frame again (up to the model's symbols-per-frame limit); on blank, move on.
 * Streams advance frame by frame together, so every joint and prediction-network call
 * covers all the streams that need it.
 */
public final class GreedySearch implements TransducerSearch {

    static final class State implements SearchState {
        PredictorState predictor;
        final List<Emission> tokens = new ArrayList<>();
        int trailingBlanks;

        State(PredictorState predictor) {
            this.predictor = predictor;
        }

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
            // a single hypothesis: nothing to collapse
        }

        @Override
        public void restart(PredictorState initial) {
            predictor = initial;
        }
    }

    @Override
    public SearchState start(TransducerModel model) {
        return new State(model.initialState());
    }

    @Override
    public void search(TransducerModel model, List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
        int maxFrames = 0;
        for (float[][] f : frames) maxFrames = Math.max(maxFrames, f.length);
        int blank = model.blankId();
        for (int t = 0; t < maxFrames; t++) {
            // Streams that still have frame t, and have not finished emitting on it.
            List<Integer> active = new ArrayList<>();
            for (int s = 0; s < states.size(); s++) {
                if (t < frames.get(s).length) active.add(s);
            }
            boolean[] emitted = new boolean[states.size()];
            for (int symbol = 0; symbol < model.maxSymbolsPerFrame() && !active.isEmpty(); symbol++) {
                List<float[]> enc = new ArrayList<>(active.size());
                List<PredictorState> pred = new ArrayList<>(active.size());
                for (int s : active) {
                    enc.add(frames.get(s)[t]);
                    pred.add(((State) states.get(s)).predictor);
                }
                float[][] logits = model.joint(enc, pred);
                List<Integer> next = new ArrayList<>();
                List<PredictorState> toAdvance = new ArrayList<>();
                int[] tokens = new int[active.size()];
                for (int i = 0; i < active.size(); i++) {
                    int best = argmax(logits[i]);
                    if (best == blank) continue;
                    int s = active.get(i);
                    State state = (State) states.get(s);
                    state.tokens.add(new Emission(best, firstFrame[s] + t));
                    emitted[s] = true;
                    tokens[next.size()] = best;
                    next.add(s);
                    toAdvance.add(state.predictor);
                }
                if (next.isEmpty()) break;
                List<PredictorState> advanced = model.advance(toAdvance, java.util.Arrays.copyOf(tokens, next.size()));
                for (int i = 0; i < next.size(); i++) {
                    ((State) states.get(next.get(i))).predictor = advanced.get(i);
                }
                active = next;
            }
            for (int s = 0; s < states.size(); s++) {
                if (t >= frames.get(s).length) continue;
                State state = (State) states.get(s);
                state.trailingBlanks = emitted[s] ? 0 : state.trailingBlanks + 1;
            }
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) best = i;
        }
        return best;
    }
}
