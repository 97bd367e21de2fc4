package dev.sotto.parakeet;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.engine.OfflineEncoder;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Tensors;
import java.util.List;

/**
 * An offline NeMo encoder as sherpa-onnx exports it: {@code audio_signal [B, feat, T]} and
 * {@code length [B]} in; out either the encoded frames {@code outputs [B, D, T']} with
 * {@code encoded_lengths [B]} (a transducer's encoder), or, for a CTC model, the
 * log-probabilities {@code logprobs [B, T', vocab + 1]}, whose valid length is
 * ceil(length / subsampling), as NeMo's striding subsampling counts it.
 */
final class Encoder implements OfflineEncoder {
    private final OnnxModel model;
    private final MelFeatures mel;
    private final int subsampling;
    private final boolean ctc;
    private final int maxBatch;

    private Encoder(OnnxModel model, MelFeatures mel, int subsampling, boolean ctc, int maxBatch) {
        this.model = model;
        this.mel = mel;
        this.subsampling = subsampling;
        this.ctc = ctc;
        this.maxBatch = maxBatch;
    }

    /** The encoder of a transducer export. */
    static Encoder transducer(OnnxModel model) {
        TensorSpec audio = inputs(model);
        model.expectOutputCount(2, "outputs, encoded_lengths");
        model.expectOutput(0, "outputs [batch, d_model, frames]", OnnxJavaType.FLOAT, 3);
        model.expectOutput(1, "encoded_lengths [batch]", OnnxJavaType.INT64, 1);
        return create(model, audio, false);
    }

    /** The single model of a CTC export (or a hybrid model's CTC head). */
    static Encoder ctc(OnnxModel model, int vocabSize) {
        TensorSpec audio = inputs(model);
        model.expectOutputCount(1, "logprobs");
        TensorSpec out = model.expectOutput(0, "logprobs [batch, frames, vocab + 1]", OnnxJavaType.FLOAT, 3);
        if (out.dim(2) >= 0 && out.dim(2) != vocabSize + 1) {
            throw new SottoException(model.file() + ": the model outputs " + out.dim(2) + " log-probabilities per frame, but "
                    + "its vocab_size is " + vocabSize + " (+1 blank = " + (vocabSize + 1) + ")");
        }
        return create(model, audio, true);
    }

    private static TensorSpec inputs(OnnxModel model) {
        model.expectInputCount(2, "audio_signal, length");
        TensorSpec audio = model.expectInput(0, "audio_signal [batch, feat_dim, time]", OnnxJavaType.FLOAT, 3);
        model.expectInput(1, "length [batch]", OnnxJavaType.INT64, 1);
        if (model.hasMeta("window_size")) {
            throw new SottoException(model.file() + ": a cache-aware streaming export (metadata window_size), not an offline one");
        }
        return audio;
    }

    private static Encoder create(OnnxModel model, TensorSpec audio, boolean ctc) {
        int dim = audio.dim(1) >= 0 ? (int) audio.dim(1) : model.metaInt("feat_dim");
        if (model.hasMeta("feat_dim") && model.metaInt("feat_dim") != dim) {
            throw new SottoException(model.file() + ": metadata feat_dim " + model.meta("feat_dim")
                    + " differs from audio_signal's declared " + dim + " mel bins");
        }
        long batch = audio.dim(0);
        return new Encoder(model, MelFeatures.of(model.metadata(), model.file(), dim), model.metaInt("subsampling_factor", 8), ctc,
                batch > 0 ? (int) batch : Integer.MAX_VALUE);
    }

    @Override
    public float[][] features(float[] samples) {
        return mel.features(samples);
    }

    @Override
    public int frameSamples() {
        return subsampling * 160;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public float[][][] encode(List<float[][]> features) {
        Batch batch = Batch.of(features, mel.dim());
        OnnxTensor signal = null;
        OnnxTensor length = null;
        try {
            signal = batch.signalTensor();
            length = batch.lengthTensor();
            try (OrtSession.Result result = model.run(signal, length)) {
                return ctc ? logProbs(result.get(0), batch) : frames(result.get(0), Tensors.toLongs(result.get(1)));
            }
        } finally {
            Tensors.close(signal, length);
        }
    }

    /** {@code outputs [B, D, T']} to [piece][frame][D], each piece cut to its encoded length. */
    private static float[][][] frames(OnnxValue value, long[] lengths) {
        float[] data = Tensors.toFloats(value);
        long[] shape = Tensors.shape(value);
        int d = (int) shape[1];
        int n = (int) shape[2];
        float[][][] out = new float[lengths.length][][];
        for (int s = 0; s < lengths.length; s++) {
            int valid = (int) Math.min(n, lengths[s]);
            out[s] = new float[valid][d];
            int base = s * d * n;
            for (int t = 0; t < valid; t++) {
                for (int k = 0; k < d; k++) out[s][t][k] = data[base + k * n + t];
            }
        }
        return out;
    }

    /** {@code logprobs [B, T', V]} to [piece][frame][V], each piece cut to ceil(length / subsampling) frames. */
    private float[][][] logProbs(OnnxValue value, Batch batch) {
        float[] data = Tensors.toFloats(value);
        long[] shape = Tensors.shape(value);
        int n = (int) shape[1];
        int v = (int) shape[2];
        float[][][] out = new float[batch.lengths().length][][];
        for (int s = 0; s < out.length; s++) {
            int valid = (int) Math.min(n, (batch.lengths()[s] + subsampling - 1) / subsampling);
            out[s] = new float[valid][];
            for (int t = 0; t < valid; t++) {
                int from = (s * n + t) * v;
                out[s][t] = java.util.Arrays.copyOfRange(data, from, from + v);
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
