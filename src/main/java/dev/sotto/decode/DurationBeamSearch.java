package dev.sotto.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Modified beam search as sherpa-onnx runs NeMo transducers offline, for TDT and plain
 * RNN-T joints: hypotheses move through the frames at their own pace. Each step takes, in
 * every stream, the hypotheses on the earliest frame any of them is on; each is extended
 * by its {@code beam} best symbols, scored by the token's log-probability (plus, for TDT,
 * that of the best duration). A blank (or {@code <unk>}) moves it on by the duration, at
 * least one frame; a token stays on the frame (RNN-T) or moves on by the duration (TDT),
 * at most {@code maxSymbolsPerFrame} tokens per frame. The {@code beam} best of the new
 * and the waiting hypotheses survive (no merging of equal token sequences); the answer is
 * the hypothesis with the highest log-probability.
 *
 * <p>Batched: one joint call per step for all streams, one prediction-network call for
 * the surviving hypotheses that gained a token.
 */
public final class DurationBeamSearch implements TransducerSearch {
    private final int beam;
    private final int unk;

    /** {@code unk}: the id of {@code <unk>}, treated as blank, or -1. */
    public DurationBeamSearch(int beam, int unk) {
        if (beam < 1) throw new IllegalArgumentException("beam must be at least 1, got " + beam);
        this.beam = beam;
        this.unk = unk;
    }

    /**
     * One hypothesis: its tokens, the prediction network's state (before the last token
     * while {@code pending}), its log-probability, the frame it is on and the tokens it
     * emitted there.
     */
    private record Hyp(TokenPath tokens, PredictorState predictor, boolean pending, double logProb, long frame,
                       int symbols) {
    }

    private static final class State implements SearchState {
        List<Hyp> hyps;

        State(PredictorState initial) {
            hyps = List.of(new Hyp(TokenPath.EMPTY, initial, false, 0, 0, 0));
        }

        Hyp best() {
            Hyp best = hyps.get(0);
            for (Hyp h : hyps) {
                if (h.logProb > best.logProb) best = h;
            }
            return best;
        }

        @Override
        public List<Emission> tokens() {
            return best().tokens.emissions();
        }

        @Override
        public int trailingBlanks() {
            List<Emission> tokens = tokens();
            long last = tokens.isEmpty() ? -1 : tokens.get(tokens.size() - 1).frame();
            return (int) Math.max(0, best().frame - last - 1);
        }

        @Override
        public void commit() {
            hyps = List.of(best());
        }

        @Override
        public void restart(PredictorState initial) {
            Hyp best = best();
            hyps = List.of(new Hyp(best.tokens, initial, false, best.logProb, best.frame, 0));
        }
    }

    @Override
    public SearchState start(TransducerModel model) {
        return new State(model.initialState());
    }

    @Override
    public void search(TransducerModel model, List<SearchState> states, List<float[][]> frames, long[] firstFrame) {
        while (true) {
            long[] earliest = new long[states.size()];
            List<float[]> enc = new ArrayList<>();
            List<PredictorState> pred = new ArrayList<>();
            boolean any = false;
            for (int s = 0; s < states.size(); s++) {
                List<Hyp> hyps = ((State) states.get(s)).hyps;
                earliest[s] = hyps.stream().mapToLong(Hyp::frame).min().orElseThrow();
                long t = earliest[s] - firstFrame[s];
                if (t >= frames.get(s).length) continue;
                any = true;
                for (Hyp h : hyps) {
                    if (h.frame == earliest[s] && h.symbols < model.maxSymbolsPerFrame()) {
                        enc.add(frames.get(s)[(int) t]);
                        pred.add(h.predictor);
                    }
                }
            }
            if (!any) return;
            float[][] logits = enc.isEmpty() ? new float[0][] : model.joint(enc, pred);
            int row = 0;
            for (int s = 0; s < states.size(); s++) {
                State state = (State) states.get(s);
                if (earliest[s] - firstFrame[s] >= frames.get(s).length) continue;
                List<Hyp> candidates = new ArrayList<>();
                for (Hyp h : state.hyps) {
                    if (h.frame > earliest[s]) {
                        candidates.add(h);
                    } else if (h.symbols >= model.maxSymbolsPerFrame()) {
                        candidates.add(new Hyp(h.tokens, h.predictor, false, h.logProb, h.frame + 1, 0));
                    } else {
                        expand(model, h, logits[row++], candidates);
                    }
                }
                candidates.sort(Comparator.comparingDouble(Hyp::logProb).reversed());
                state.hyps = new ArrayList<>(candidates.subList(0, Math.min(beam, candidates.size())));
            }
            feedNewTokens(model, states);
        }
    }

    private void expand(TransducerModel model, Hyp h, float[] row, List<Hyp> out) {
        int vocab = model.vocabSize();
        int[] durations = model.durations();
        double[] tokenLogProbs = Scores.logSoftmax(row, 0, vocab);
        int jump = 1;
        double durationLogProb = 0;
        if (durations.length > 0) {
            double[] d = Scores.logSoftmax(row, vocab, vocab + durations.length);
            int best = Scores.argmax(row, vocab, vocab + durations.length);
            jump = durations[best];
            durationLogProb = d[best];
        }
        for (int token : Scores.topK(tokenLogProbs, beam)) {
            double logProb = h.logProb + tokenLogProbs[token] + durationLogProb;
            if (token == model.blankId() || token == unk) {
                out.add(new Hyp(h.tokens, h.predictor, false, logProb, h.frame + Math.max(1, jump), 0));
            } else if (durations.length > 0) {
                out.add(new Hyp(h.tokens.append(token, h.frame, jump), h.predictor, true, logProb, h.frame + jump,
                        jump > 0 ? 0 : h.symbols + 1));
            } else {
                out.add(new Hyp(h.tokens.append(token, h.frame), h.predictor, true, logProb, h.frame, h.symbols + 1));
            }
        }
    }

    /** Runs the prediction network on every surviving hypothesis that gained a token, in one call. */
    private static void feedNewTokens(TransducerModel model, List<SearchState> states) {
        List<PredictorState> before = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        for (SearchState s : states) {
            for (Hyp h : ((State) s).hyps) {
                if (h.pending) {
                    before.add(h.predictor);
                    tokens.add(h.tokens.lastToken());
                }
            }
        }
        if (before.isEmpty()) return;
        List<PredictorState> after = model.advance(before, tokens.stream().mapToInt(Integer::intValue).toArray());
        int k = 0;
        for (SearchState s : states) {
            State state = (State) s;
            Hyp[] updated = state.hyps.toArray(new Hyp[0]);
            for (int i = 0; i < updated.length; i++) {
                Hyp h = updated[i];
                if (h.pending) updated[i] = new Hyp(h.tokens, after.get(k++), false, h.logProb, h.frame, h.symbols);
            }
            state.hyps = Arrays.asList(updated);
        }
    }
}
