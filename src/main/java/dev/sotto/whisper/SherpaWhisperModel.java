package dev.sotto.whisper;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * sherpa-onnx's Whisper export ({@code scripts/whisper/export-onnx.py}): the encoder returns
 * the cross-attention keys and values of every decoder layer
 * ({@code n_layer_cross_k/v [layers, n_audio, frames/2, state]}); the decoder takes
 * {@code tokens}, a fixed-size self-attention cache {@code [layers, n_audio, 448, state]}
 * written at {@code offset}, and the cross K/V. Dimensions and special tokens are in the
 * encoder's metadata.
 */
final class SherpaWhisperModel implements WhisperModel {
    private final OnnxModel encoder;
    private final OnnxModel decoder;
    private final int nMels;
    private final int vocab;
    private final int textContext;
    private final int layers;
    private final int state;

    private SherpaWhisperModel(OnnxModel encoder, OnnxModel decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.nMels = encoder.metaInt("n_mels");
        this.vocab = encoder.metaInt("n_vocab");
        this.textContext = encoder.metaInt("n_text_ctx");
        this.layers = encoder.metaInt("n_text_layer");
        this.state = encoder.metaInt("n_text_state");
        checkSignature();
    }

    static SherpaWhisperModel open(WhisperFiles files, Runtime runtime) {
        OnnxModel encoder = runtime.open(files.encoder());
        try {
            OnnxModel decoder = runtime.open(files.decoder());
            try {
                return new SherpaWhisperModel(encoder, decoder);
            } catch (RuntimeException e) {
                decoder.close();
                throw e;
            }
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private void checkSignature() {
        String type = encoder.meta("model_type", "whisper");
        if (!type.startsWith("whisper")) {
            throw new SottoException(encoder.file() + ": metadata model_type is '" + type + "', not a Whisper export");
        }
        encoder.expectInput(0, "mel", OnnxJavaType.FLOAT, 3);
        encoder.expectOutput(0, "n_layer_cross_k", OnnxJavaType.FLOAT, 4);
        encoder.expectOutput(1, "n_layer_cross_v", OnnxJavaType.FLOAT, 4);
        for (String name : new String[] {"tokens", "in_n_layer_self_k_cache", "in_n_layer_self_v_cache",
            "n_layer_cross_k", "n_layer_cross_v", "offset"}) {
            decoder.input(name);   // fails with the list of inputs there are
        }
        if (decoder.outputs().size() < 3) {
            throw new SottoException(decoder.file() + ": expected outputs logits, out_n_layer_self_k_cache, "
                    + "out_n_layer_self_v_cache; found " + decoder.outputs());
        }
        long cacheLength = decoder.input("in_n_layer_self_k_cache").dim(2);
        if (cacheLength > 0 && cacheLength != textContext) {
            throw new SottoException(decoder.file() + ": the self-attention cache holds " + cacheLength
                    + " positions but the encoder metadata says n_text_ctx=" + textContext);
        }
    }

    /** The encoder's metadata (dimensions and special-token ids). */
    OnnxModel encoderModel() {
        return encoder;
    }

    @Override
    public int nMels() {
        return nMels;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int textContext() {
        return textContext;
    }

    @Override
    public Audio encode(float[] mel, int batch) {
        try (OnnxTensor input = Tensors.floats(mel, batch, nMels, mel.length / batch / nMels)) {
            OrtSession.Result out = encoder.run(input);
            return new CrossAttention(out, batch);
        }
    }

    /** The cross-attention K/V of a batch of windows (owned ORT outputs). */
    private static final class CrossAttention implements Audio {
        final OrtSession.Result result;
        final OnnxTensor k;
        final OnnxTensor v;
        final int batch;

        CrossAttention(OrtSession.Result result, int batch) {
            this.result = result;
            this.k = (OnnxTensor) result.get(0);
            this.v = (OnnxTensor) result.get(1);
            this.batch = batch;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public void close() {
            result.close();
        }
    }

    @Override
    public Decoder decoder(Audio audio, int[] audioOfRow) {
        return new SherpaDecoder((CrossAttention) audio, audioOfRow);
    }

    private final class SherpaDecoder implements Decoder {
        private final int rows;
        private final OnnxTensor crossK;
        private final OnnxTensor crossV;
        private final boolean ownsCross;
        private OnnxTensor cacheK;
        private OnnxTensor cacheV;
        private AutoCloseable cacheOwner;   // the ORT result holding the caches, or null when we made them
        private long offset;

        SherpaDecoder(CrossAttention audio, int[] audioOfRow) {
            this.rows = audioOfRow.length;
            if (TensorRows.isIdentity(audioOfRow, audio.batch)) {
                crossK = audio.k;
                crossV = audio.v;
                ownsCross = false;
            } else {
                crossK = TensorRows.gather(audio.k, 1, audioOfRow);
                crossV = TensorRows.gather(audio.v, 1, audioOfRow);
                ownsCross = true;
            }
            // Empty caches: one zeroed direct buffer (ORT never writes its inputs), no heap copy.
            long bytes = 4L * layers * rows * textContext * state;
            if (bytes > Integer.MAX_VALUE) {
                throw new SottoException(decoder.file() + ": the self-attention cache of " + rows + " rows would take "
                        + bytes / (1 << 20) + " MB; decode fewer windows or beams at once");
            }
            FloatBuffer zeros = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
            cacheK = Tensors.floats(zeros, layers, rows, textContext, state);
            cacheV = Tensors.floats(zeros, layers, rows, textContext, state);
        }

        @Override
        public Logits step(int[][] tokens) {
            int n = tokens[0].length;
            if (offset + n > textContext) {
                throw new IllegalStateException("the decoder context of " + textContext + " tokens is full");
            }
            long[] ids = new long[rows * n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) ids[r * n + i] = tokens[r][i];
            }
            try (OnnxTensor tokenTensor = Tensors.longs(ids, rows, n);
                 OnnxTensor offsetTensor = Tensors.longs(new long[] {offset}, 1)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                feed.put("tokens", tokenTensor);
                feed.put("in_n_layer_self_k_cache", cacheK);
                feed.put("in_n_layer_self_v_cache", cacheV);
                feed.put("n_layer_cross_k", crossK);
                feed.put("n_layer_cross_v", crossV);
                feed.put("offset", offsetTensor);
                OrtSession.Result out = decoder.run(feed);
                float[] logits = Tensors.toFloats(out.get(0));
                replaceCaches((OnnxTensor) out.get(1), (OnnxTensor) out.get(2), out);
                offset += n;
                return new Logits(logits, rows, n, vocab);
            }
        }

        @Override
        public void reorder(int[] source) {
            if (TensorRows.isIdentity(source, rows)) return;
            replaceCaches(TensorRows.gather(cacheK, 1, source), TensorRows.gather(cacheV, 1, source), null);
        }

        private void replaceCaches(OnnxTensor k, OnnxTensor v, AutoCloseable owner) {
            OnnxTensor oldK = cacheK;
            OnnxTensor oldV = cacheV;
            AutoCloseable oldOwner = cacheOwner;
            cacheK = k;
            cacheV = v;
            cacheOwner = owner;
            release(oldK, oldV, oldOwner);
        }

        private void release(OnnxTensor k, OnnxTensor v, AutoCloseable owner) {
            if (owner != null) {
                Tensors.close(owner);
            } else {
                Tensors.close(k, v);
            }
        }

        @Override
        public void close() {
            release(cacheK, cacheV, cacheOwner);
            if (ownsCross) Tensors.close(crossK, crossV);
        }
    }

    @Override
    public void close() {
        Tensors.close(encoder, decoder);
    }
}
