package dev.sotto.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Transducer greedy search, batched over streams: for each encoder frame, run the joint,
 * take the argmax; on a token, emit it, feed it to the prediction network and try the
 * same frame again (up to the model's symbols-per-frame limit); on blank, move on.
 *
 * <p>Most frames are blank and the prediction network only changes on a token, so each
 * round runs the joint on <em>all</em> of a stream's remaining frames with its current
 * state, in one call for all streams, and takes the frames up to the first token: the
 * same decisions as frame-by-frame search with one joint call per emitted token instead
 * of one per frame.
 */
public final class GreedySearch implements TransducerSearch {
    /** At most this many frames per stream in one joint call. */
    static final int MAX_ROWS = 64;

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
        int n = states.size();
        int blank = model.blankId();
        int[] next = new int[n];          // the stream's next frame to decide
        int[] symbols = new int[n];       // tokens already emitted on that frame
        while (true) {
            List<float[]> enc = new ArrayList<>();
            List<PredictorState> pred = new ArrayList<>();
            int[] rowStart = new int[n + 1];
            for (int s = 0; s < n; s++) {
                rowStart[s] = enc.size();
                float[][] f = frames.get(s);
                for (int t = next[s]; t < Math.min(f.length, next[s] + MAX_ROWS); t++) {
                    enc.add(f[t]);
                    pred.add(((State) states.get(s)).predictor);
                }
            }
            rowStart[n] = enc.size();
            if (enc.isEmpty()) return;
            float[][] logits = model.joint(enc, pred);
            List<Integer> emitting = new ArrayList<>();
            int[] tokens = new int[n];
            for (int s = 0; s < n; s++) {
                State state = (State) states.get(s);
                for (int row = rowStart[s]; row < rowStart[s + 1]; row++) {
                    int t = next[s];
                    int best = argmax(logits[row]);
                    if (best == blank) {
                        state.trailingBlanks = symbols[s] > 0 ? 0 : state.trailingBlanks + 1;
                        symbols[s] = 0;
                        next[s] = t + 1;
                        continue;
                    }
                    // a token: later rows used the old prediction-network state, so they are stale
                    state.tokens.add(new Emission(best, firstFrame[s] + t));
                    tokens[emitting.size()] = best;
                    emitting.add(s);
                    if (++symbols[s] >= model.maxSymbolsPerFrame()) {
                        state.trailingBlanks = 0;
                        symbols[s] = 0;
                        next[s] = t + 1;
                    }
                    break;
                }
            }
            if (!emitting.isEmpty()) {
                List<PredictorState> from = new ArrayList<>(emitting.size());
                for (int s : emitting) from.add(((State) states.get(s)).predictor);
                List<PredictorState> advanced = model.advance(from, java.util.Arrays.copyOf(tokens, emitting.size()));
                for (int i = 0; i < emitting.size(); i++) ((State) states.get(emitting.get(i))).predictor = advanced.get(i);
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
