package dev.sotto.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy search for a TDT (token-and-duration transducer) joint, as NeMo and sherpa-onnx
 * decode Parakeet: at frame t the token is the argmax of the token logits and the jump
 * the argmax of the duration logits; a token is emitted when it is not blank, and t
 * advances by the jump. A jump of 0 stays on the frame for another symbol, at most
 * {@value #MAX_SYMBOLS_PER_FRAME} of them; a blank with a jump of 0 moves on by one
 * frame. Each token keeps its jump as its duration.
 *
 * <p>Batched: every step runs one joint row per stream (the frame each one is on), in
 * one call, and one prediction-network call for the streams that emitted. A jump past the
 * frames given is remembered, so frames may also come chunk by chunk.
 */
public final class TdtGreedySearch implements TransducerSearch {
    static final int MAX_SYMBOLS_PER_FRAME = 5;

    static final class State implements SearchState {
        PredictorState predictor;
        final List<Emission> tokens = new ArrayList<>();
        long next;           // the frame (since the stream began) to decide next
        int symbols;         // tokens emitted on that frame so far
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
        int[] durations = model.durations();
        if (durations.length == 0) throw new IllegalArgumentException("not a TDT model: its joint has no duration outputs");
        int vocab = model.vocabSize();
        int blank = model.blankId();
        while (true) {
            List<Integer> active = new ArrayList<>();
            List<float[]> enc = new ArrayList<>();
            List<PredictorState> pred = new ArrayList<>();
            for (int s = 0; s < states.size(); s++) {
                State state = (State) states.get(s);
                long t = state.next - firstFrame[s];
                if (t < frames.get(s).length) {
                    active.add(s);
                    enc.add(frames.get(s)[(int) t]);
                    pred.add(state.predictor);
                }
            }
            if (active.isEmpty()) return;
            float[][] logits = model.joint(enc, pred);
            List<Integer> emitting = new ArrayList<>();
            int[] tokens = new int[active.size()];
            for (int i = 0; i < active.size(); i++) {
                State state = (State) states.get(active.get(i));
                int token = Scores.argmax(logits[i], 0, vocab);
                int jump = durations[Scores.argmax(logits[i], vocab, vocab + durations.length)];
                if (token != blank) {
                    state.tokens.add(new Emission(token, state.next, jump));
                    state.trailingBlanks = 0;
                    tokens[emitting.size()] = token;
                    emitting.add(active.get(i));
                    state.symbols++;
                } else {
                    state.trailingBlanks += Math.max(1, jump);
                }
                if (jump > 0) state.symbols = 0;
                if (state.symbols >= MAX_SYMBOLS_PER_FRAME || (token == blank && jump == 0)) {
                    state.symbols = 0;
                    jump = 1;
                }
                state.next += jump;
            }
            if (!emitting.isEmpty()) {
                List<PredictorState> from = new ArrayList<>(emitting.size());
                for (int s : emitting) from.add(((State) states.get(s)).predictor);
                List<PredictorState> advanced = model.advance(from, Arrays.copyOf(tokens, emitting.size()));
                for (int i = 0; i < emitting.size(); i++) ((State) states.get(emitting.get(i))).predictor = advanced.get(i);
            }
        }
    }
}
