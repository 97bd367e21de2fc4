package dev.sotto.zipformer;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.features.FrontEnd;
import dev.sotto.features.KaldiFbank;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.OrtFailure;
import dev.sotto.runtime.StateTensors;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Tensors;
import dev.sotto.engine.StreamingEncoder;
import java.nio.file.Path;
import java.util.List;

/**
 * An icefall streaming Zipformer2 encoder as sherpa-onnx exports it: input {@code x [1, T,
 * features]} plus the cached states of {@link CacheLayout}; outputs {@code encoder_out [1,
 * T', joiner_dim]} plus the next states, in the same order. Each call reads {@code T}
 * Kaldi fbank frames (metadata {@code T}) and advances by {@code decode_chunk_len}; the
 * export fixes the batch at 1, so streams are encoded one after another.
 *
 * <p>The encoder is run once, on zero features, when it is loaded: a graph that cannot run
 * fails at load with the node that breaks, not in the middle of a transcription.
 */
final class ZipformerEncoder implements StreamingEncoder {
    /**
     * Silence fed before the audio, as sherpa-onnx's file decoder does ("left padding").
     * 0.5 s is what the sherpa-onnx 1.13.4 reference run used: leads within 10 samples of
     * 8000 reproduce its transcripts of all 40 clips but one, a lead 160 samples shorter or
     * longer breaks several (see ZipformerReferenceTest). It also helps: on those clips the
     * WER is 10.5 % without it, 9.0 % with it.
     */
    static final int LEADING_SILENCE_SAMPLES = 8000;
    /**
     * sherpa-onnx appends 0.8 s of silence to a file before decoding it, and decodes a chunk
     * only while frames remain beyond it ({@code processed + T < ready}); the engine decodes
     * while {@code processed + T <= ready}. One frame shift less padding gives exactly the
     * chunks sherpa-onnx decodes, over identical frames (the padding is silence either way).
     */
    static final int TAIL_PADDING_SAMPLES = 16000 * 8 / 10 - 160;
    /** Zipformer2 subsamples the 10 ms fbank frames by 4 (sherpa-onnx hard-codes the same). */
    static final double FRAME_SECONDS = 0.04;

    private final OnnxModel model;
    private final CacheLayout layout;
    private final int featureDim;
    private final int window;
    private final int shift;
    private final int outputDim;

    ZipformerEncoder(OnnxModel model) {
        this.model = model;
        this.window = model.metaInt("T");
        this.shift = model.metaInt("decode_chunk_len");
        TensorSpec x = model.expectInput(0, "x [1, T, features]", OnnxJavaType.FLOAT, 3);
        this.featureDim = x.isDynamic(2) ? 80 : (int) x.dim(2);
        if (!x.isDynamic(1) && x.dim(1) != window) {
            throw new SottoException(model.file() + ": input 'x' " + x + " takes " + x.dim(1)
                    + " frames per call, but the metadata says T = " + window);
        }
        if (shift <= 0 || shift > window) {
            throw new SottoException(model.file() + ": metadata decode_chunk_len = " + shift + " and T = " + window
                    + " do not describe a streaming chunk (expected 0 < decode_chunk_len <= T)");
        }
        this.layout = CacheLayout.fromMetadata(model, featureDim);
        int states = layout.caches().size();
        model.expectInputCount(1 + states, "x and the " + states + " cached states the metadata describes");
        model.expectOutputCount(1 + states, "encoder_out and the " + states + " next states");
        for (int i = 0; i < states; i++) {
            expectShape(model.expectInput(i + 1, layout.caches().get(i).role(), layout.caches().get(i).type(),
                    layout.caches().get(i).shape().length), "input", i + 1);
            expectShape(model.expectOutput(i + 1, "next " + layout.caches().get(i).role(), layout.caches().get(i).type(),
                    layout.caches().get(i).shape().length), "output", i + 1);
        }
        model.expectOutput(0, "encoder_out [1, frames, joiner_dim]", OnnxJavaType.FLOAT, 3);
        this.outputDim = probe();
    }

    private void expectShape(TensorSpec spec, String kind, int position) {
        long[] expected = layout.caches().get(position - 1).shape();
        for (int d = 0; d < expected.length; d++) {
            if (!spec.isDynamic(d) && spec.dim(d) != expected[d]) {
                throw new SottoException(model.file() + ": " + kind + " #" + position + " '" + spec.name() + "' should be "
                        + shape(expected) + " (" + layout.caches().get(position - 1).role() + ", from the metadata), "
                        + "but the model declares " + spec);
            }
        }
    }

    private static String shape(long[] dims) {
        return java.util.Arrays.toString(dims);
    }

    /** Encodes one chunk of zero features; returns the encoder's output dimension. */
    private int probe() {
        float[][][] out;
        try (EncoderState state = initialState("auto")) {
            out = encode(List.of(new float[window * featureDim]), List.of(state));
        }
        if (out[0].length == 0) {
            throw new SottoException(model.file() + ": the encoder returned no frames for a chunk of " + window + " frames");
        }
        return out[0][0].length;
    }

    Path file() {
        return model.file();
    }

    int outputDim() {
        return outputDim;
    }

    int chunkMs() {
        return shift * 10;
    }

    @Override
    public FrontEnd newFrontEnd() {
        return new KaldiFbank(KaldiFbank.Options.sherpaOnnx(featureDim));
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public int windowFrames() {
        return window;
    }

    @Override
    public int shiftFrames() {
        return shift;
    }

    @Override
    public int leadingZeroFrames() {
        return 0;
    }

    @Override
    public int leadingSilenceSamples() {
        return LEADING_SILENCE_SAMPLES;
    }

    @Override
    public int tailPaddingSamples() {
        return TAIL_PADDING_SAMPLES;
    }

    @Override
    public int framesNeeded(int realFrames) {
        return realFrames;   // as sherpa-onnx: frames after the last full window are not decoded
    }

    @Override
    public double frameSeconds() {
        return FRAME_SECONDS;
    }

    /**
     * Measured on zipformer-gigaspeech-3.3m (chunk 16, left context 64) with
     * {@code benchmarks/emission-delay}: the median, over 101 speech onsets after silence in 39
     * English clips of ../shared (leopard-test-en.wav left out, it is the test), of the time from
     * where the sound starts (frame energy) to the time of the first token emitted after it.
     * Other streaming Zipformer2 exports get the same value unless {@code --emission-delay-ms}
     * says otherwise; none other was available to measure.
     */
    static final double EMISSION_DELAY_SECONDS = 0.20;

    @Override
    public double emissionDelaySeconds() {
        return EMISSION_DELAY_SECONDS;
    }

    @Override
    public List<String> languages() {
        return List.of();
    }

    /** One stream's caches, in {@link CacheLayout} order, fed back without copies. */
    static final class State implements EncoderState {
        final StateTensors caches;

        State(CacheLayout layout) {
            caches = new StateTensors(layout.caches().stream()
                    .map(c -> new StateTensors.Spec(c.type(), c.shape())).toList());
        }

        @Override
        public void close() {
            caches.close();
        }
    }

    @Override
    public EncoderState initialState(String language) {
        return new State(layout);
    }

    @Override
    public float[][][] encode(List<float[]> windows, List<EncoderState> states) {
        float[][][] out = new float[windows.size()][][];
        for (int s = 0; s < windows.size(); s++) out[s] = encodeOne(windows.get(s), (State) states.get(s));
        return out;
    }

    private float[][] encodeOne(float[] features, State state) {
        OnnxTensor[] caches = state.caches.inputs();
        OnnxTensor[] next = state.caches.outputs();
        OnnxTensor[] in = new OnnxTensor[1 + caches.length];
        OnnxTensor[] pinned = new OnnxTensor[1 + next.length];
        System.arraycopy(caches, 0, in, 1, caches.length);
        System.arraycopy(next, 0, pinned, 1, next.length);
        try {
            in[0] = Tensors.floats(features, 1, window, featureDim);
            try (OrtSession.Result result = run(in, pinned)) {
                OnnxValue encoded = result.get(model.outputs().get(0).name()).orElseThrow();
                long[] shape = Tensors.shape(encoded);
                float[] values = Tensors.toFloats(encoded);
                int frames = (int) shape[1];
                int dim = (int) shape[2];
                float[][] out = new float[frames][dim];
                for (int t = 0; t < frames; t++) System.arraycopy(values, t * dim, out[t], 0, dim);
                state.caches.swap();
                return out;
            }
        } finally {
            Tensors.close(in[0]);   // the caches belong to the state
        }
    }

    /** Runs the session; a failure inside the graph names the node that failed. */
    private OrtSession.Result run(OnnxTensor[] in, OnnxTensor[] pinned) {
        try {
            return model.run(in, pinned);
        } catch (SottoException e) {
            OrtFailure failure = OrtFailure.of(e).orElseThrow(() -> e);
            throw new SottoException(model.file() + ": ONNX Runtime cannot run this encoder: node '" + failure.node()
                    + "' (" + failure.op() + ") fails: " + failure.detail() + ". The export itself is faulty (its inputs "
                    + "have fixed shapes, so the audio cannot cause this): re-export the model or use a repaired file. "
                    + "(The int8 encoder published with sherpa-onnx-kws-zipformer-gigaspeech-3.3M has this fault: its six "
                    + "downsampling blocks append one frame too many.)", e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
