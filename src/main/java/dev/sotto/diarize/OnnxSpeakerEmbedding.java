package dev.sotto.diarize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sotto.SottoException;
import dev.sotto.features.FrontEnd;
import dev.sotto.features.KaldiFbank;
import dev.sotto.features.NemoMel;
import dev.sotto.runtime.OnnxModel;
import dev.sotto.runtime.Runtime;
import dev.sotto.runtime.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A speaker-embedding model as sherpa-onnx exports it, told apart by its {@code framework}
 * metadata (read as sherpa-onnx's speaker-embedding extractor reads it):
 * <ul>
 *   <li>{@code 3d-speaker} (CAM++, ERes2Net): input {@code x} [N, T, 80] Kaldi fbank of
 *       samples in [-1, 1] ({@code normalize_samples=1}), each bin's mean over the window
 *       subtracted ({@code feature_normalize_type=global-mean}); output {@code embedding} [N, D].</li>
 *   <li>{@code wespeaker} (ResNet34...): input {@code feats} [B, T, 80] Kaldi fbank of samples
 *       scaled to 16-bit range ({@code normalize_samples=0}); output {@code embs} [B, D].</li>
 *   <li>{@code nemo} (TitaNet, ECAPA-TDNN, SpeakerNet): inputs {@code audio_signal} [B, 80, T]
 *       NeMo log-mel normalised per feature ({@code feature_normalize_type=per_feature}) and
 *       {@code length} [B]; outputs {@code logits} and {@code embs} [B, D] (the second is used).</li>
 * </ul>
 * Other metadata: {@code sample_rate} (16000), {@code output_dim}, {@code language},
 * {@code url}, {@code comment}; NeMo adds {@code feat_dim}, {@code window_size_ms},
 * {@code window_stride_ms}, {@code window_type}. The Kaldi fbank is sherpa-onnx's default
 * (25 ms Povey windows every 10 ms, 20 Hz to Nyquist - 400 Hz, no dither).
 */
public final class OnnxSpeakerEmbedding implements SpeakerEmbedding {
    enum Framework { THREE_D_SPEAKER, WESPEAKER, NEMO }

    private final OnnxModel model;
    private final Framework framework;
    private final int dim;
    private final int featDim;
    private final boolean scaleTo16Bit;
    private final String featureNormalize;
    private final String input;
    private final String output;

    private OnnxSpeakerEmbedding(OnnxModel model) {
        this.model = model;
        String fw = model.meta("framework").trim().toLowerCase(Locale.ROOT);
        this.framework = switch (fw) {
            case "3d-speaker" -> Framework.THREE_D_SPEAKER;
            case "wespeaker" -> Framework.WESPEAKER;
            case "nemo" -> Framework.NEMO;
            default -> throw new SottoException(model.file() + ": speaker model framework '" + fw
                    + "' is not supported: expected 3d-speaker, wespeaker or nemo (sherpa-onnx's exports)");
        };
        int rate = model.metaInt("sample_rate");
        if (rate != 16000) {
            throw new SottoException(model.file() + ": speaker model expects " + rate + " Hz audio; only 16000 Hz models are supported");
        }
        this.dim = model.metaInt("output_dim");
        this.featureNormalize = model.meta("feature_normalize_type", "").trim();
        if (framework == Framework.NEMO) {
            this.featDim = model.metaInt("feat_dim");
            int size = model.metaInt("window_size_ms");
            int stride = model.metaInt("window_stride_ms");
            String window = model.meta("window_type", "povey");
            if (size != 25 || stride != 10 || !window.equalsIgnoreCase("hann")) {
                throw new SottoException(model.file() + ": NeMo speaker model with " + size + " ms " + window + " windows every "
                        + stride + " ms: only NeMo's usual 25 ms Hann windows every 10 ms are supported");
            }
            this.scaleTo16Bit = false;
            this.input = "audio_signal";
            this.output = "embs";
            require(List.of("audio_signal", "length"));
        } else {
            this.featDim = 80;
            // sherpa-onnx reads normalize_samples; WeSpeaker's add_meta_data.py writes normalize_features.
            int normalize = model.hasMeta("normalize_samples") ? model.metaInt("normalize_samples")
                    : model.metaInt("normalize_features", framework == Framework.WESPEAKER ? 0 : 1);
            this.scaleTo16Bit = normalize == 0;
            this.input = model.inputs().get(0).name();
            this.output = model.outputs().get(0).name();
        }
        if (!featureNormalize.isEmpty() && !featureNormalize.equals("global-mean") && !featureNormalize.equals("per_feature")) {
            throw new SottoException(model.file() + ": feature_normalize_type '" + featureNormalize
                    + "' is not supported (global-mean or per_feature)");
        }
    }

    private void require(List<String> names) {
        for (String n : names) {
            if (!model.hasInput(n)) {
                throw new SottoException(model.file() + ": a NeMo speaker model needs input '" + n + "'; found " + model.inputs());
            }
        }
        if (model.outputs().size() < 2) {
            throw new SottoException(model.file() + ": a NeMo speaker model has outputs (logits, embs); found " + model.outputs());
        }
    }

    /** Opens {@code path}: an .onnx file, or a directory holding exactly one (an int8 one preferred). */
    public static OnnxSpeakerEmbedding open(Runtime runtime, Path path) {
        Path file = resolve(path);
        OnnxModel model = runtime.open(file);
        try {
            return new OnnxSpeakerEmbedding(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static Path resolve(Path path) {
        if (Files.isRegularFile(path)) return path;
        if (!Files.isDirectory(path)) {
            throw new SottoException(path + ": no such speaker model (give an .onnx file or a directory holding one)");
        }
        try (var files = Files.list(path)) {
            List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            if (onnx.size() == 1) return onnx.get(0);
            List<Path> int8 = onnx.stream().filter(p -> p.getFileName().toString().contains(".int8.")).toList();
            if (int8.size() == 1) return int8.get(0);
            throw new SottoException(path + ": expected one speaker-embedding .onnx file, found "
                    + (onnx.isEmpty() ? "none" : onnx.stream().map(p -> p.getFileName().toString()).toList())
                    + "; name the file itself");
        } catch (IOException e) {
            throw new SottoException(path + ": cannot list: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return model.meta("framework") + " " + model.file().getFileName();
    }

    public int dimension() {
        return dim;
    }

    @Override
    public double defaultThreshold() {
        // sherpa-onnx's default clustering threshold (0.5) for these models, as a cosine distance.
        return 0.5;
    }

    @Override
    public float[] embed(float[] samples, int from, int to) {
        float[][] feats = features(samples, from, to);
        int frames = feats.length;
        float[] flat = new float[frames * featDim];
        if (framework == Framework.NEMO) {
            for (int t = 0; t < frames; t++) for (int m = 0; m < featDim; m++) flat[m * frames + t] = feats[t][m];
        } else {
            for (int t = 0; t < frames; t++) System.arraycopy(feats[t], 0, flat, t * featDim, featDim);
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try (OnnxTensor x = framework == Framework.NEMO ? Tensors.floats(flat, 1, featDim, frames)
                : Tensors.floats(flat, 1, frames, featDim);
             OnnxTensor length = Tensors.longs(new long[] {frames}, 1)) {
            feed.put(input, x);
            if (framework == Framework.NEMO) feed.put("length", length);
            try (OrtSession.Result result = model.run(feed)) {
                float[] e = Tensors.toFloats(result.get(output).orElseThrow(() ->
                        new SottoException(model.file() + ": the model gave no output '" + output + "'")));
                if (e.length < dim) {
                    throw new SottoException(model.file() + ": embedding of " + e.length + " values, metadata output_dim says " + dim);
                }
                return java.util.Arrays.copyOf(e, dim);
            }
        }
    }

    /** [frames][featDim], normalised as the metadata says. */
    float[][] features(float[] samples, int from, int to) {
        FrontEnd fe = framework == Framework.NEMO ? new NemoMel(featDim) : new KaldiFbank(KaldiFbank.Options.sherpaOnnx(featDim));
        if (scaleTo16Bit) {
            float[] scaled = new float[to - from];
            for (int i = 0; i < scaled.length; i++) scaled[i] = samples[from + i] * 32768f;
            fe.accept(scaled, 0, scaled.length);
        } else {
            fe.accept(samples, from, to - from);
        }
        fe.finish();
        int frames = Math.max(1, fe.framesReady());
        float[][] feats = new float[frames][featDim];
        for (int t = 0; t < fe.framesReady(); t++) fe.copyFrames(t, 1, feats[t], 0);
        if (featureNormalize.equals("global-mean")) {
            for (int m = 0; m < featDim; m++) {
                double mean = 0;
                for (float[] f : feats) mean += f[m];
                mean /= frames;
                for (float[] f : feats) f[m] -= (float) mean;
            }
        } else if (featureNormalize.equals("per_feature")) {
            // sherpa-onnx's NeMo extractor: (x - mean) / (population std + 1e-5), per mel bin.
            for (int m = 0; m < featDim; m++) {
                double mean = 0;
                double sq = 0;
                for (float[] f : feats) {
                    mean += f[m];
                    sq += f[m] * (double) f[m];
                }
                mean /= frames;
                double std = Math.sqrt(Math.max(0, sq / frames - mean * mean));
                for (float[] f : feats) f[m] = (float) ((f[m] - mean) / (std + 1e-5));
            }
        }
        return feats;
    }

    @Override
    public void close() {
        model.close();
    }
}
