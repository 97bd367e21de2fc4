package dev.sotto.whisper;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.SottoException;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.TensorSpec;
import dev.sotto.runtime.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face Optimum / onnx-community Whisper exports. The encoder maps
 * {@code input_features [batch, n_mels, 3000]} to {@code last_hidden_state [batch, 1500, d]}.
 * The decoder comes as one merged graph ({@code decoder_model_merged}: a
 * {@code use_cache_branch} flag chooses between the first call, which computes the encoder
 * keys/values from the hidden states, and later calls, which reuse them from
 * {@code past_key_values.*}) or as the pair {@code decoder_model} (first call) +
 * {@code decoder_with_past_model} (one token per later call). Keys and values are
 * {@code [batch, heads, length, head_dim]} per layer; the decoder's grow by the fed tokens.
 */
final class HfWhisperModel implements WhisperModel {
    private final OnnxModel encoder;
    private final OnnxModel decoder;            // merged, or the first-call half of the pair
    private final OnnxModel decoderWithPast;    // null for the merged decoder
    private final int nMels;
    private final int vocab;
    private final int textContext;
    private final int layers;
    private final int heads;
    private final int headDim;
    private final int[][] alignmentHeads;       // [layer, head] pairs; null: no word alignment

    private HfWhisperModel(OnnxModel encoder, OnnxModel decoder, OnnxModel decoderWithPast, JsonNode config,
                           JsonNode generationConfig) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.decoderWithPast = decoderWithPast;
        TensorSpec features = encoder.expectInput(0, "input_features", OnnxJavaType.FLOAT, 3);
        encoder.expectOutput(0, "last_hidden_state", OnnxJavaType.FLOAT, 3);
        this.nMels = features.dim(1) > 0 ? (int) features.dim(1) : config.path("num_mel_bins").asInt(80);
        TensorSpec logits = decoder.outputs().stream().filter(o -> o.name().equals("logits")).findFirst()
                .orElseThrow(() -> new SottoException(decoder.file() + ": no 'logits' output; outputs are " + decoder.outputs()));
        this.vocab = logits.rank() == 3 && logits.dim(2) > 0 ? (int) logits.dim(2) : config.path("vocab_size").asInt(0);
        if (vocab <= 0) throw new SottoException(decoder.file() + ": cannot tell the vocabulary size (no static logits "
                + "dimension and no vocab_size in config.json)");
        this.textContext = config.path("max_target_positions").asInt(448);
        int count = 0;
        while (decoder.hasInput("past_key_values." + count + ".decoder.key")
                || hasOutput(decoder, "present." + count + ".decoder.key")) {
            count++;
        }
        if (count == 0) {
            throw new SottoException(decoder.file() + ": no past_key_values.N.decoder.key inputs or present.N.decoder.key "
                    + "outputs: not a Whisper decoder exported with its cache (Optimum '-with-past')");
        }
        this.layers = count;
        TensorSpec present = spec(decoder.outputs(), "present.0.decoder.key");
        this.heads = present.dim(1) > 0 ? (int) present.dim(1) : config.path("decoder_attention_heads").asInt();
        this.headDim = present.dim(3) > 0 ? (int) present.dim(3) : config.path("d_model").asInt() / heads;
        if (decoderWithPast == null && !decoder.hasInput("use_cache_branch")) {
            throw new SottoException(decoder.file() + ": a merged decoder needs the input use_cache_branch");
        }
        this.alignmentHeads = hasOutput(decoder, "cross_attentions.0") ? alignmentHeads(generationConfig) : null;
    }

    /**
     * The {@code alignment_heads} of generation_config.json ([layer, head] pairs, as Hugging Face
     * copies them from openai/whisper's per-size tables), or null when it has none or they do not
     * fit this decoder.
     */
    private int[][] alignmentHeads(JsonNode generationConfig) {
        JsonNode list = generationConfig.path("alignment_heads");
        if (!list.isArray() || list.isEmpty()) return null;
        int[][] out = new int[list.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode pair = list.get(i);
            int layer = pair.path(0).asInt(-1);
            int head = pair.path(1).asInt(-1);
            if (layer < 0 || layer >= layers || head < 0 || head >= heads || !hasOutput(decoder, "cross_attentions." + layer)) {
                return null;
            }
            out[i] = new int[] {layer, head};
        }
        return out;
    }

    static HfWhisperModel open(WhisperFiles files, Runtime runtime) {
        JsonNode config = readConfig(files.config());
        JsonNode generation = readConfig(files.config() == null ? null : files.config().resolveSibling("generation_config.json"));
        List<OnnxModel> opened = new ArrayList<>();
        try {
            opened.add(runtime.open(files.encoder()));
            opened.add(runtime.open(files.decoder()));
            if (files.decoderWithPast() != null) opened.add(runtime.open(files.decoderWithPast()));
            return new HfWhisperModel(opened.get(0), opened.get(1), opened.size() > 2 ? opened.get(2) : null, config,
                    generation);
        } catch (RuntimeException e) {
            opened.forEach(OnnxModel::close);
            throw e;
        }
    }

    private static JsonNode readConfig(java.nio.file.Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SottoException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static boolean hasOutput(OnnxModel model, String name) {
        return model.outputs().stream().anyMatch(o -> o.name().equals(name));
    }

    private static TensorSpec spec(List<TensorSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new SottoException("missing " + name + " among " + specs));
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
            return new HiddenStates(encoder.run(input), batch);
        }
    }

    private static final class HiddenStates implements Audio {
        final OrtSession.Result result;
        final OnnxTensor states;
        final int batch;

        HiddenStates(OrtSession.Result result, int batch) {
            this.result = result;
            this.states = (OnnxTensor) result.get(0);
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
        return new HfDecoder((HiddenStates) audio, audioOfRow);
    }

    @Override
    public boolean aligns() {
        return alignmentHeads != null;
    }

    @Override
    public float[][][] alignmentAttention(Audio audio, int index, int[] tokens) {
        if (alignmentHeads == null) throw new IllegalStateException("this export has no alignment heads");
        try (HfDecoder d = new HfDecoder((HiddenStates) audio, new int[] {index});
             Owned inputs = new Owned();
             OrtSession.Result out = decoder.run(d.feed(decoder, new int[][] {tokens}, inputs))) {
            float[][][] weights = new float[alignmentHeads.length][][];
            for (int k = 0; k < alignmentHeads.length; k++) {
                OnnxValue attention = out.get("cross_attentions." + alignmentHeads[k][0])
                        .orElseThrow(() -> new SottoException(decoder.file() + ": no cross_attentions output"));
                long[] shape = Tensors.shape(attention);   // [1, heads, tokens, frames]
                float[] all = Tensors.toFloats(attention);
                int n = (int) shape[2];
                int frames = (int) shape[3];
                float[][] head = new float[n][frames];
                int base = alignmentHeads[k][1] * n * frames;
                for (int t = 0; t < n; t++) System.arraycopy(all, base + t * frames, head[t], 0, frames);
                weights[k] = head;
            }
            return weights;
        }
    }

    /** Owns tensors (ORT results and tensors we made) and closes them together. */
    private static final class Owned implements AutoCloseable {
        final List<AutoCloseable> items = new ArrayList<>();

        <T extends AutoCloseable> T add(T item) {
            items.add(item);
            return item;
        }

        @Override
        public void close() {
            items.forEach(Tensors::close);
            items.clear();
        }
    }

    private final class HfDecoder implements Decoder {
        private final int rows;
        private final OnnxTensor hidden;               // encoder output, one row per decoder row
        private final boolean ownsHidden;
        private final OnnxTensor[] decoderPast = new OnnxTensor[2 * layers];   // key, value per layer
        private final OnnxTensor[] encoderPast = new OnnxTensor[2 * layers];
        private Owned decoderOwner = new Owned();
        private final Owned encoderOwner = new Owned();
        private boolean started;

        HfDecoder(HiddenStates audio, int[] audioOfRow) {
            this.rows = audioOfRow.length;
            if (TensorRows.isIdentity(audioOfRow, audio.batch)) {
                hidden = audio.states;
                ownsHidden = false;
            } else {
                hidden = TensorRows.gather(audio.states, 0, audioOfRow);
                ownsHidden = true;
            }
        }

        /** The inputs of the next call of {@code model} with {@code tokens}; tensors made here go to {@code inputs}. */
        Map<String, OnnxTensor> feed(OnnxModel model, int[][] tokens, Owned inputs) {
            int n = tokens[0].length;
            long[] ids = new long[rows * n];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) ids[r * n + i] = tokens[r][i];
            }
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            feed.put("input_ids", inputs.add(Tensors.longs(ids, rows, n)));
            if (model.hasInput("encoder_hidden_states")) feed.put("encoder_hidden_states", hidden);
            if (model.hasInput("past_key_values.0.decoder.key")) {
                for (int i = 0; i < layers; i++) {
                    feed.put(pastName(i, "decoder", "key"), started ? decoderPast[2 * i] : inputs.add(empty()));
                    feed.put(pastName(i, "decoder", "value"), started ? decoderPast[2 * i + 1] : inputs.add(empty()));
                    feed.put(pastName(i, "encoder", "key"), started ? encoderPast[2 * i] : inputs.add(empty()));
                    feed.put(pastName(i, "encoder", "value"), started ? encoderPast[2 * i + 1] : inputs.add(empty()));
                }
            }
            if (model.hasInput("use_cache_branch")) {
                feed.put("use_cache_branch", inputs.add(Tensors.bools(new boolean[] {started}, 1)));
            }
            return feed;
        }

        @Override
        public Logits step(int[][] tokens) {
            int n = tokens[0].length;
            try (Owned inputs = new Owned()) {
                OnnxModel model = !started || decoderWithPast == null ? decoder : decoderWithPast;
                OrtSession.Result out = model.run(feed(model, tokens, inputs));
                float[] logits = Tensors.toFloats(out.get("logits").orElseThrow());
                keepPresents(out);
                started = true;
                return new Logits(logits, rows, n, vocab);
            }
        }

        /** The decoder presents become the next pasts; the encoder ones are kept from the first call. */
        private void keepPresents(OrtSession.Result out) {
            Owned next = new Owned();
            next.add(out);
            boolean encoderPresent = out.get("present.0.encoder.key").isPresent();
            for (int i = 0; i < layers; i++) {
                decoderPast[2 * i] = tensor(out, "present." + i + ".decoder.key");
                decoderPast[2 * i + 1] = tensor(out, "present." + i + ".decoder.value");
            }
            if (encoderOwner.items.isEmpty()) {
                if (!encoderPresent) {
                    throw new SottoException("the first decoder call returned no present.N.encoder.* outputs");
                }
                // Copy them out of this result, which is released after the next step.
                for (int i = 0; i < layers; i++) {
                    encoderPast[2 * i] = encoderOwner.add(copy(tensor(out, "present." + i + ".encoder.key")));
                    encoderPast[2 * i + 1] = encoderOwner.add(copy(tensor(out, "present." + i + ".encoder.value")));
                }
            }
            decoderOwner.close();
            decoderOwner = next;
        }

        @Override
        public void reorder(int[] source) {
            if (TensorRows.isIdentity(source, rows)) return;
            Owned next = new Owned();
            for (int i = 0; i < decoderPast.length; i++) {
                decoderPast[i] = next.add(TensorRows.gather(decoderPast[i], 0, source));
            }
            decoderOwner.close();
            decoderOwner = next;
            // Encoder keys/values are the same for all beams of a window, and beams stay with their window.
        }

        private OnnxTensor empty() {
            return Tensors.floats(new float[0], rows, heads, 0, headDim);
        }

        @Override
        public void close() {
            decoderOwner.close();
            encoderOwner.close();
            if (ownsHidden) Tensors.close(hidden);
        }
    }

    private static String pastName(int layer, String side, String kind) {
        return "past_key_values." + layer + "." + side + "." + kind;
    }

    private static OnnxTensor tensor(OrtSession.Result out, String name) {
        OnnxValue v = out.get(name).orElseThrow(() -> new SottoException("the decoder returned no " + name));
        return (OnnxTensor) v;
    }

    private static OnnxTensor copy(OnnxTensor t) {
        return Tensors.floats(Tensors.toFloats(t), t.getInfo().getShape());
    }

    @Override
    public void close() {
        Tensors.close(encoder, decoder, decoderWithPast);
    }
}
