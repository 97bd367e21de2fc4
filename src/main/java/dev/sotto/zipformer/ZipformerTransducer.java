package dev.sotto.zipformer;

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
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * icefall's stateless prediction network and joiner as sherpa-onnx exports them: the
 * decoder maps the last {@code context_size} tokens {@code y [N, context_size]} (int64)
 * to {@code decoder_out [N, joiner_dim]}; the joiner maps {@code encoder_out [N,
 * joiner_dim]} and {@code decoder_out} to {@code logit [N, vocab]}. Blank is id 0, and
 * one encoder frame emits at most one token (as sherpa-onnx's online searches do).
 */
final class ZipformerTransducer implements TransducerModel {
    static final int BLANK = 0;
    /**
     * Fills the context before the first token (sherpa-onnx starts from {@code [-1, …, -1,
     * blank]}; the exported decoder embeds a negative id as zeros).
     */
    static final long NO_TOKEN = -1;

    private final OnnxModel decoder;
    private final OnnxModel joiner;
    private final int contextSize;
    private final int vocabSize;
    private final PredictorState initial;
    private final Scratch decoderScratch = new Scratch();
    private final Scratch encoderScratch = new Scratch();
    private final Scratch joinScratch = new Scratch();

    /** The last {@code context_size} tokens and the decoder's output for them. */
    record State(long[] context, float[] output) implements PredictorState {
    }

    ZipformerTransducer(OnnxModel decoder, OnnxModel joiner, int encoderDim) {
        this.decoder = decoder;
        this.joiner = joiner;
        decoder.expectInputCount(1, "y, the last context_size tokens");
        TensorSpec y = decoder.expectInput(0, "y [N, context_size]", OnnxJavaType.INT64, 2);
        this.contextSize = decoder.metaInt("context_size");
        if (!y.isDynamic(1) && y.dim(1) != contextSize) {
            throw new SottoException(decoder.file() + ": input " + y + " takes " + y.dim(1)
                    + " tokens, but the metadata says context_size = " + contextSize);
        }
        decoder.expectOutputCount(1, "decoder_out");
        TensorSpec decoderOut = decoder.expectOutput(0, "decoder_out [N, joiner_dim]", OnnxJavaType.FLOAT, 2);
        joiner.expectInputCount(2, "encoder_out, decoder_out");
        TensorSpec joinEncoder = joiner.expectInput(0, "encoder_out [N, joiner_dim]", OnnxJavaType.FLOAT, 2);
        TensorSpec joinDecoder = joiner.expectInput(1, "decoder_out [N, joiner_dim]", OnnxJavaType.FLOAT, 2);
        joiner.expectOutputCount(1, "logit");
        TensorSpec logit = joiner.expectOutput(0, "logit [N, vocab]", OnnxJavaType.FLOAT, 2);
        this.vocabSize = decoder.metaInt("vocab_size");
        sameDim(joiner, joinEncoder, encoderDim, "the encoder's output dimension");
        sameDim(joiner, joinDecoder, decoderOut.dim(1), "the decoder's output dimension (" + decoder.file().getFileName() + ")");
        sameDim(joiner, logit, vocabSize, "the decoder's metadata vocab_size");
        long[] start = new long[contextSize];
        Arrays.fill(start, NO_TOKEN);
        start[contextSize - 1] = BLANK;
        this.initial = run(List.of(start)).get(0);
    }

    private static void sameDim(OnnxModel model, TensorSpec spec, long expected, String what) {
        if (!spec.isDynamic(1) && expected >= 0 && spec.dim(1) != expected) {
            throw new SottoException(model.file() + ": " + spec + " has dimension " + spec.dim(1) + ", but " + what
                    + " is " + expected + ". Are the encoder, decoder and joiner from the same model?");
        }
    }

    int contextSize() {
        return contextSize;
    }

    @Override
    public int blankId() {
        return BLANK;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int maxSymbolsPerFrame() {
        return 1;
    }

    @Override
    public PredictorState initialState() {
        return initial;
    }

    @Override
    public List<PredictorState> advance(List<PredictorState> states, int[] tokens) {
        List<long[]> contexts = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            long[] previous = ((State) states.get(i)).context;
            long[] context = Arrays.copyOfRange(previous, 1, contextSize + 1);
            context[contextSize - 1] = tokens[i];
            contexts.add(context);
        }
        return run(contexts);
    }

    private List<PredictorState> run(List<long[]> contexts) {
        int n = contexts.size();
        LongBuffer y = decoderScratch.longs(n * contextSize);
        for (long[] context : contexts) y.put(context);
        y.rewind();
        try (OnnxTensor input = Tensors.longs(y, n, contextSize); OrtSession.Result r = decoder.run(input)) {
            float[] out = Tensors.toFloats(r.get(0));
            int dim = out.length / n;
            List<PredictorState> states = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                states.add(new State(contexts.get(i), Arrays.copyOfRange(out, i * dim, (i + 1) * dim)));
            }
            return states;
        }
    }

    @Override
    public float[][] joint(List<float[]> encoderFrames, List<PredictorState> states) {
        int n = encoderFrames.size();
        int encoderDim = encoderFrames.get(0).length;
        int decoderDim = ((State) states.get(0)).output.length;
        FloatBuffer enc = encoderScratch.floats(n * encoderDim);
        FloatBuffer dec = joinScratch.floats(n * decoderDim);
        for (int i = 0; i < n; i++) {
            enc.put(encoderFrames.get(i));
            dec.put(((State) states.get(i)).output);
        }
        enc.rewind();
        dec.rewind();
        try (OnnxTensor e = Tensors.floats(enc, n, encoderDim);
             OnnxTensor d = Tensors.floats(dec, n, decoderDim);
             OrtSession.Result r = joiner.run(e, d)) {
            float[] logits = Tensors.toFloats(r.get(0));
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(logits, i * vocabSize, (i + 1) * vocabSize);
            return out;
        }
    }
}
