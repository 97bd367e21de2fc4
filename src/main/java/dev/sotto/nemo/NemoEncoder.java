package dev.sotto.nemo;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.features.FrontEnd;
import dev.sotto.features.NemoMel;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.StateTensors;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Tensors;
import dev.sotto.engine.StreamingEncoder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A NeMo cache-aware FastConformer encoder as sherpa-onnx exports it: inputs
 * {@code audio_signal [B, feat, T]}, {@code length}, {@code cache_last_channel},
 * {@code cache_last_time}, {@code cache_last_channel_len} (and {@code prompt_index} for
 * Nemotron 3.5), outputs the encoded frames {@code [B, D, T']} (the CTC export: the
 * log-probabilities {@code [B, T', vocab + 1]}) and the next caches. Window and shift come
 * from the metadata; caches start at zero and are fed back every chunk.
 *
 * <p>The first window is preceded by {@code window - shift} zero frames, as NeMo's
 * {@code CacheAwareStreamingAudioBuffer} does with {@code pad_and_drop_preencoded}: the
 * export always drops the pre-encode frames, so every window has the same size and
 * encoder frame t covers audio from t * 80 ms.
 */
final class NemoEncoder implements StreamingEncoder {
    private final OnnxModel model;
    private final int featDim;
    private final int window;
    private final int shift;
    private final int subsampling;
    private final int layers;
    private final int channelTime;   // left context frames kept in cache_last_channel
    private final int dModel;
    private final int timeDim;       // cache_last_time dim 2 (d_model)
    private final int convContext;
    private final boolean layerFirst;
    private final int maxBatch;
    private final Prompts prompts;   // null for monolingual models
    private final boolean ctc;

    NemoEncoder(OnnxModel model, boolean ctc) {
        this.model = model;
        this.ctc = ctc;
        boolean multilingual = model.hasInput("prompt_index");
        model.expectInputCount(multilingual ? 6 : 5, "audio_signal, length, cache_last_channel, cache_last_time, "
                + "cache_last_channel_len" + (multilingual ? ", prompt_index" : ""));
        TensorSpec audio = model.expectInput(0, "audio_signal [batch, feat_dim, time]", OnnxJavaType.FLOAT, 3);
        model.expectInput(1, "length [batch]", OnnxJavaType.INT64, 1);
        TensorSpec channel = model.expectInput(2, "cache_last_channel", OnnxJavaType.FLOAT, 4);
        TensorSpec time = model.expectInput(3, "cache_last_time", OnnxJavaType.FLOAT, 4);
        model.expectInput(4, "cache_last_channel_len [batch]", OnnxJavaType.INT64, 1);
        if (multilingual) model.expectInput(5, "prompt_index [batch]", OnnxJavaType.INT64, 1);
        model.expectOutputCount(5, "outputs, encoded_lengths, cache_last_channel_next, cache_last_time_next, "
                + "cache_last_channel_next_len");
        model.expectOutput(0, ctc ? "logprobs [batch, frames, vocab + 1]" : "outputs [batch, d_model, frames]",
                OnnxJavaType.FLOAT, 3);
        model.expectOutput(1, "encoded_lengths", OnnxJavaType.INT64, 1);
        model.expectOutput(2, "cache_last_channel_next", OnnxJavaType.FLOAT, 4);
        model.expectOutput(3, "cache_last_time_next", OnnxJavaType.FLOAT, 4);
        model.expectOutput(4, "cache_last_channel_next_len", OnnxJavaType.INT64, 1);

        this.window = model.metaInt("window_size");
        this.shift = model.metaInt("chunk_shift");
        this.subsampling = model.metaInt("subsampling_factor", 8);
        this.layers = model.metaInt("cache_last_channel_dim1");
        this.channelTime = model.metaInt("cache_last_channel_dim2");
        this.dModel = model.metaInt("cache_last_channel_dim3");
        this.timeDim = model.metaInt("cache_last_time_dim2");
        this.convContext = model.metaInt("cache_last_time_dim3");
        if (model.metaInt("cache_last_time_dim1") != layers) {
            throw new SottoException(model.file() + ": metadata cache_last_time_dim1 (" + model.meta("cache_last_time_dim1")
                    + ") differs from cache_last_channel_dim1 (" + layers + ")");
        }
        this.featDim = audio.isDynamic(1) ? model.metaInt("feat_dim") : (int) audio.dim(1);
        if (model.hasMeta("feat_dim") && model.metaInt("feat_dim") != featDim) {
            throw new SottoException(model.file() + ": metadata feat_dim " + model.meta("feat_dim")
                    + " differs from audio_signal's declared " + featDim + " mel bins");
        }
        if (window <= shift || shift % subsampling != 0) {
            throw new SottoException(model.file() + ": window_size " + window + " and chunk_shift " + shift
                    + " do not describe a cache-aware chunk (expected window > shift, shift a multiple of " + subsampling + ")");
        }
        String normalize = model.meta("normalize_type", "");
        if (!normalize.isEmpty() && !normalize.equals("NA")) {
            throw new SottoException(model.file() + ": normalize_type is '" + normalize + "'. Feature normalisation over "
                    + "the whole utterance cannot stream; cache-aware streaming exports use none (\"\" or NA). "
                    + "Is this an offline model?");
        }
        // Batch-first [B, L, T, D] is the sherpa-onnx export; some third-party exports keep NeMo's layer-first [L, B, T, D].
        this.layerFirst = channel.dim(0) == layers && channel.dim(1) != layers;
        checkCache(channel, "cache_last_channel", channelTime, dModel);
        checkCache(time, "cache_last_time", timeDim, convContext);
        long batchDim = channel.dim(layerFirst ? 1 : 0);
        this.maxBatch = batchDim > 0 ? (int) batchDim : Integer.MAX_VALUE;
        this.prompts = multilingual ? Prompts.fromMetadata(model) : null;
    }

    private void checkCache(TensorSpec spec, String name, int dim2, int dim3) {
        int layerAxis = layerFirst ? 0 : 1;
        long[] expected = {layers, dim2, dim3};
        long[] actual = {spec.dim(layerAxis), spec.dim(2), spec.dim(3)};
        for (int i = 0; i < 3; i++) {
            if (actual[i] >= 0 && actual[i] != expected[i]) {
                throw new SottoException(model.file() + ": input " + spec + " does not match the metadata's cache shape "
                        + (layerFirst ? "[layers, batch, " : "[batch, layers, ") + dim2 + ", " + dim3 + "] with layers = "
                        + layers);
            }
        }
    }

    int chunkMs() {
        return model.metaInt("chunk_size_ms", shift * 10);
    }

    boolean layerFirst() {
        return layerFirst;
    }

    @Override
    public FrontEnd newFrontEnd() {
        return new NemoMel(featDim);
    }

    @Override
    public int featureDim() {
        return featDim;
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
        return window - shift;
    }

    @Override
    public int tailPaddingSamples() {
        return 0;   // the front end continues with silence frames instead (see framesNeeded)
    }

    @Override
    public int framesNeeded(int realFrames) {
        return (realFrames + shift - 1) / shift * shift;
    }

    @Override
    public double frameSeconds() {
        return subsampling * 0.01;
    }

    @Override
    public List<String> languages() {
        return prompts == null ? List.of() : prompts.languages();
    }

    /** One stream's caches (channel, time, channel length) with a batch of one, fed back without copies. */
    static final class State implements EncoderState {
        final StateTensors caches;
        final long prompt;

        State(StateTensors caches, long prompt) {
            this.caches = caches;
            this.prompt = prompt;
        }

        @Override
        public void close() {
            caches.close();
        }
    }

    @Override
    public EncoderState initialState(String language) {
        long prompt = prompts == null ? 0 : prompts.idFor(language, model.file().toString());
        return new State(new StateTensors(List.of(
                new StateTensors.Spec(OnnxJavaType.FLOAT, cacheShape(1, channelTime, dModel)),
                new StateTensors.Spec(OnnxJavaType.FLOAT, cacheShape(1, timeDim, convContext)),
                new StateTensors.Spec(OnnxJavaType.INT64, new long[] {1}))), prompt);
    }

    @Override
    public float[][][] encode(List<float[]> windows, List<EncoderState> states) {
        float[][][] out = new float[windows.size()][][];
        for (int from = 0; from < windows.size(); from += maxBatch) {
            int to = Math.min(windows.size(), from + maxBatch);
            if (to - from == 1) {
                out[from] = encodeOne(windows.get(from), (State) states.get(from));
            } else {
                encodeBatch(windows.subList(from, to), states.subList(from, to), out, from);
            }
        }
        return out;
    }

    /** A batch of one: the caches go in and come back in place (pinned outputs). */
    private float[][] encodeOne(float[] window, State state) {
        OnnxTensor[] caches = state.caches.inputs();
        OnnxTensor[] next = state.caches.outputs();
        OnnxTensor[] in = new OnnxTensor[prompts == null ? 5 : 6];
        try {
            in[0] = Tensors.floats(transpose(List.of(window)), 1, featDim, this.window);
            in[1] = Tensors.longs(new long[] {this.window}, 1);
            in[2] = caches[0];
            in[3] = caches[1];
            in[4] = caches[2];
            if (prompts != null) in[5] = Tensors.longs(new long[] {state.prompt}, 1);
            OnnxTensor[] pinned = {null, null, next[0], next[1], next[2]};
            try (OrtSession.Result result = model.run(in, pinned)) {
                float[][][] frames = frames(result, 1);
                state.caches.swap();
                return frames[0];
            }
        } finally {
            Tensors.close(in[0], in[1], prompts != null ? in[5] : null);   // the caches belong to the state
        }
    }

    /** Several streams: caches are stacked into one batch and split back after the run. */
    private void encodeBatch(List<float[]> windows, List<EncoderState> states, float[][][] out, int outOffset) {
        int b = windows.size();
        long[] length = new long[b];
        long[] channelLen = new long[b];
        long[] prompt = new long[b];
        List<FloatBuffer> channels = new ArrayList<>(b);
        List<FloatBuffer> times = new ArrayList<>(b);
        for (int s = 0; s < b; s++) {
            State st = (State) states.get(s);
            length[s] = window;
            channelLen[s] = st.caches.current(2).asLongBuffer().get(0);
            prompt[s] = st.prompt;
            channels.add(st.caches.current(0).asFloatBuffer());
            times.add(st.caches.current(1).asFloatBuffer());
        }
        OnnxTensor[] in = new OnnxTensor[prompts == null ? 5 : 6];
        try {
            in[0] = Tensors.floats(transpose(windows), b, featDim, window);
            in[1] = Tensors.longs(length, b);
            in[2] = Tensors.floats(stack(channels), cacheShape(b, channelTime, dModel));
            in[3] = Tensors.floats(stack(times), cacheShape(b, timeDim, convContext));
            in[4] = Tensors.longs(channelLen, b);
            if (prompts != null) in[5] = Tensors.longs(prompt, b);
            try (OrtSession.Result result = model.run(in)) {
                float[][][] frames = frames(result, b);
                float[] nextChannel = Tensors.toFloats(result.get(2));
                float[] nextTime = Tensors.toFloats(result.get(3));
                long[] nextLen = Tensors.toLongs(result.get(4));
                for (int s = 0; s < b; s++) {
                    out[outOffset + s] = frames[s];
                    StateTensors caches = ((State) states.get(s)).caches;
                    unstack(nextChannel, s, b, caches.current(0).asFloatBuffer());
                    unstack(nextTime, s, b, caches.current(1).asFloatBuffer());
                    caches.current(2).asLongBuffer().put(0, nextLen[s]);
                }
            }
        } finally {
            Tensors.close(in);
        }
    }

    /** Frame-major windows [window][feat] to the encoder's [batch][feat][window]. */
    private float[] transpose(List<float[]> windows) {
        float[] audio = new float[windows.size() * featDim * window];
        for (int s = 0; s < windows.size(); s++) {
            float[] w = windows.get(s);
            int base = s * featDim * window;
            for (int t = 0; t < window; t++) {
                for (int f = 0; f < featDim; f++) audio[base + f * window + t] = w[t * featDim + f];
            }
        }
        return audio;
    }

    /** The frames [batch][frame][dim] from {@code outputs [batch, dim, frames]} (CTC: {@code [batch, frames, dim]}). */
    private float[][][] frames(OrtSession.Result result, int b) {
        OnnxValue value = result.get(model.outputs().get(0).name()).orElseThrow();
        float[] encoded = Tensors.toFloats(value);
        long[] shape = Tensors.shape(value);
        if (ctc) {
            int n = (int) shape[1];
            int v = (int) shape[2];
            float[][][] out = new float[b][n][];
            for (int s = 0; s < b; s++) {
                for (int t = 0; t < n; t++) out[s][t] = java.util.Arrays.copyOfRange(encoded, (s * n + t) * v, (s * n + t + 1) * v);
            }
            return out;
        }
        int d = (int) shape[1];
        int n = (int) shape[2];
        float[][][] out = new float[b][n][d];
        for (int s = 0; s < b; s++) {
            int base = s * d * n;
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < d; k++) out[s][t][k] = encoded[base + k * n + t];
            }
        }
        return out;
    }

    private long[] cacheShape(int batch, int dim2, int dim3) {
        return layerFirst ? new long[] {layers, batch, dim2, dim3} : new long[] {batch, layers, dim2, dim3};
    }

    /** Per-stream caches [layers][x] into one batch tensor, batch-first or layer-first. */
    private float[] stack(List<FloatBuffer> perStream) {
        int b = perStream.size();
        int size = perStream.get(0).remaining();
        float[] out = new float[b * size];
        int block = layerFirst ? size / layers : size;
        for (int s = 0; s < b; s++) {
            FloatBuffer src = perStream.get(s);
            for (int l = 0; l < size / block; l++) {
                src.get(l * block, out, layerFirst ? (l * b + s) * block : s * size, block);
            }
        }
        return out;
    }

    /** Stream s's slice of a batch cache into its own buffer. */
    private void unstack(float[] batch, int s, int b, FloatBuffer dest) {
        int size = dest.remaining();
        int block = layerFirst ? size / layers : size;
        for (int l = 0; l < size / block; l++) {
            dest.put(l * block, batch, layerFirst ? (l * b + s) * block : s * size, block);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
