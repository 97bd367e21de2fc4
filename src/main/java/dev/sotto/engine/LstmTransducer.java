package dev.sotto.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.decode.PredictorState;
import dev.sotto.decode.TransducerModel;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Scratch;
import dev.sotto.runtime.Tensors;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A transducer with an LSTM prediction network, as NeMo exports RNN-T and TDT models and
 * both its streaming and offline families use it: the decoder ({@code targets},
 * {@code target_length} and two state tensors [layers, batch, hidden]) and the joint
 * ({@code encoder_outputs [B, D, 1]} x {@code decoder_outputs [B, H, 1]} → logits
 * [B, 1, 1, vocab + 1], followed for TDT by the duration logits). The decoder's state
 * tensors have export-generated names ({@code states.1}, {@code onnx::LSTM_3}), so both
 * sessions are called by position. Blank is the last id.
 */
public final class LstmTransducer implements TransducerModel {
    static final int MAX_SYMBOLS_PER_FRAME = 10;

    private final OnnxModel decoder;
    private final OnnxModel joiner;
    private final int blank;
    private final int layers;
    private final int hidden;
    private final PredictorState initial;
    private final int[] durations;
    private final Scratch encoderScratch = new Scratch();
    private final Scratch decoderScratch = new Scratch();

    /** Decoder output and LSTM state (h, c) after some tokens. */
    record State(float[] output, float[] h, float[] c) implements PredictorState {
    }

    /**
     * {@code durations}: the frames each TDT duration output stands for, or null to take
     * 0, 1, 2, ... for however many outputs the joint has past the tokens (none: RNN-T).
     */
    public LstmTransducer(OnnxModel decoder, OnnxModel joiner, int vocabSize, int layers, int hidden, int[] durations) {
        this.decoder = decoder;
        this.joiner = joiner;
        this.blank = vocabSize;
        this.layers = layers;
        this.hidden = hidden;
        decoder.expectInputCount(4, "targets, target_length and the two LSTM states");
        decoder.expectInput(0, "targets [batch, 1]", OnnxJavaType.INT32, 2);
        decoder.expectInput(1, "target_length [batch]", OnnxJavaType.INT32, 1);
        checkState(decoder.expectInput(2, "LSTM hidden state [layers, batch, hidden]", OnnxJavaType.FLOAT, 3), "input");
        checkState(decoder.expectInput(3, "LSTM cell state [layers, batch, hidden]", OnnxJavaType.FLOAT, 3), "input");
        decoder.expectOutputCount(4, "outputs, prednet_lengths and the two next LSTM states");
        decoder.expectOutput(0, "outputs [batch, hidden, 1]", OnnxJavaType.FLOAT, 3);
        checkState(decoder.expectOutput(2, "next LSTM hidden state", OnnxJavaType.FLOAT, 3), "output");
        checkState(decoder.expectOutput(3, "next LSTM cell state", OnnxJavaType.FLOAT, 3), "output");
        joiner.expectInputCount(2, "encoder_outputs, decoder_outputs");
        joiner.expectInput(0, "encoder_outputs [batch, d_model, 1]", OnnxJavaType.FLOAT, 3);
        joiner.expectInput(1, "decoder_outputs [batch, hidden, 1]", OnnxJavaType.FLOAT, 3);
        TensorSpec logits = joiner.expectOutput(0, "logits [batch, 1, 1, vocab + 1 (+ durations)]", OnnxJavaType.FLOAT, 4);
        this.initial = advance(List.of(new State(new float[hidden], new float[layers * hidden], new float[layers * hidden])),
                new int[] {blank}).get(0);
        long width = logits.dim(3) >= 0 ? logits.dim(3) : probeWidth();
        if (width < vocabSize + 1) {
            throw new SottoException(joiner.file() + ": the joint outputs " + width + " logits but the encoder's vocab_size is "
                    + vocabSize + " (+1 blank = " + (vocabSize + 1) + ")");
        }
        int extra = (int) (width - vocabSize - 1);
        if (durations == null) {
            durations = new int[extra];
            for (int i = 0; i < extra; i++) durations[i] = i;
        } else if (durations.length != extra) {
            throw new SottoException(joiner.file() + ": the joint has " + extra + " duration outputs after the "
                    + (vocabSize + 1) + " token logits, but the metadata lists " + durations.length + " durations");
        }
        this.durations = durations;
    }

    /** The joint's row width where the graph does not declare it: one run on a zero frame. */
    private long probeWidth() {
        long encoderDim = joiner.inputs().get(0).dim(1);
        if (encoderDim < 0) {
            throw new SottoException(joiner.file() + ": neither the joint's output width nor its encoder_outputs "
                    + "dimension is declared; cannot tell the vocabulary from the durations");
        }
        return joint(List.of(new float[(int) encoderDim]), List.of(initial))[0].length;
    }

    private void checkState(TensorSpec spec, String kind) {
        if ((spec.dim(0) >= 0 && spec.dim(0) != layers) || (spec.dim(2) >= 0 && spec.dim(2) != hidden)) {
            throw new SottoException(decoder.file() + ": " + kind + " " + spec + " does not match the encoder metadata "
                    + "pred_rnn_layers = " + layers + ", pred_hidden = " + hidden);
        }
    }

    @Override
    public int blankId() {
        return blank;
    }

    @Override
    public int vocabSize() {
        return blank + 1;
    }

    @Override
    public int maxSymbolsPerFrame() {
        return MAX_SYMBOLS_PER_FRAME;
    }

    @Override
    public int[] durations() {
        return durations.clone();
    }

    @Override
    public PredictorState initialState() {
        return initial;
    }

    @Override
    public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
        int b = states.size();
        int stateSize = layers * hidden;
        float[] h = new float[layers * b * hidden];
        float[] c = new float[layers * b * hidden];
        for (int s = 0; s < b; s++) {
            State st = (State) states.get(s);
            for (int l = 0; l < layers; l++) {
                System.arraycopy(st.h, l * hidden, h, (l * b + s) * hidden, hidden);
                System.arraycopy(st.c, l * hidden, c, (l * b + s) * hidden, hidden);
            }
        }
        int[] ones = new int[b];
        java.util.Arrays.fill(ones, 1);
        OnnxTensor[] in = new OnnxTensor[4];
        try {
            in[0] = Tensors.ints(tokens, b, 1);
            in[1] = Tensors.ints(ones, b);
            in[2] = Tensors.floats(h, layers, b, hidden);
            in[3] = Tensors.floats(c, layers, b, hidden);
            try (OrtSession.Result r = decoder.run(in)) {
                float[] out = Tensors.toFloats(r.get(0));
                float[] hNext = Tensors.toFloats(r.get(2));
                float[] cNext = Tensors.toFloats(r.get(3));
                List<PredictorState> next = new ArrayList<>(b);
                for (int s = 0; s < b; s++) {
                    float[] o = java.util.Arrays.copyOfRange(out, s * hidden, (s + 1) * hidden);
                    float[] hs = new float[stateSize];
                    float[] cs = new float[stateSize];
                    for (int l = 0; l < layers; l++) {
                        System.arraycopy(hNext, (l * b + s) * hidden, hs, l * hidden, hidden);
                        System.arraycopy(cNext, (l * b + s) * hidden, cs, l * hidden, hidden);
                    }
                    next.add(new State(o, hs, cs));
                }
                return next;
            }
        } finally {
            Tensors.close(in);
        }
    }

    @Override
    public float[][] joint(List<float[]> encoderFrames, List<PredictorState> states) {
        int b = encoderFrames.size();
        int encoderDim = encoderFrames.get(0).length;
        FloatBuffer enc = encoderScratch.floats(b * encoderDim);
        FloatBuffer dec = decoderScratch.floats(b * hidden);
        for (int s = 0; s < b; s++) {
            enc.put(encoderFrames.get(s));
            dec.put(((State) states.get(s)).output);
        }
        enc.rewind();
        dec.rewind();
        OnnxTensor e = null;
        OnnxTensor d = null;
        try {
            e = Tensors.floats(enc, b, encoderDim, 1);
            d = Tensors.floats(dec, b, hidden, 1);
            try (OrtSession.Result r = joiner.run(e, d)) {
                float[] logits = Tensors.toFloats(r.get(0));
                int v = logits.length / b;
                float[][] out = new float[b][];
                for (int s = 0; s < b; s++) out[s] = java.util.Arrays.copyOfRange(logits, s * v, (s + 1) * v);
                return out;
            }
        } finally {
            Tensors.close(e, d);
        }
    }
}
