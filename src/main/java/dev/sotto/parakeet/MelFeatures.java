package dev.sotto.parakeet;

import dev.sotto.SottoException;
import dev.sotto.features.NemoMel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The features an offline NeMo encoder expects: NeMo's log-mel ({@link NemoMel}) of the
 * whole piece, normalised as the export's {@code normalize_type} says: {@code per_feature}
 * (each mel bin to zero mean and unit variance over the piece, Parakeet's setting),
 * {@code all_features} (one mean and variance over all bins), or none ({@code ""}, {@code NA}).
 */
record MelFeatures(int dim, Normalization normalization) {
    enum Normalization { NONE, PER_FEATURE, ALL_FEATURES }

    /** From the export's metadata ({@code file} names it in errors). */
    static MelFeatures of(Map<String, String> meta, Path file, int dim) {
        if (!meta.getOrDefault("is_giga_am", "0").trim().equals("0")) {
            throw new SottoException(file + ": a GigaAM export (is_giga_am = 1). Its front end (64 mels, "
                    + "400-point FFT, no preemphasis) is not NeMo's; Sotto does not run GigaAM models");
        }
        String type = meta.getOrDefault("normalize_type", "").trim();
        Normalization n = switch (type) {
            case "", "NA" -> Normalization.NONE;
            case "per_feature" -> Normalization.PER_FEATURE;
            case "all_features" -> Normalization.ALL_FEATURES;
            default -> throw new SottoException(file + ": normalize_type '" + type + "' is not one Sotto knows "
                    + "(per_feature, all_features, or none)");
        };
        return new MelFeatures(dim, n);
    }

    /** [frames][dim] of 16 kHz samples: L / 160 + 1 frames. */
    float[][] features(float[] samples) {
        NemoMel mel = new NemoMel(dim);
        mel.accept(samples, 0, samples.length);
        mel.finish();
        float[][] out = new float[mel.framesReady()][dim];
        for (int i = 0; i < out.length; i++) mel.copyFrames(i, 1, out[i], 0);
        switch (normalization) {
            case PER_FEATURE -> NemoMel.normalizePerFeature(out);
            case ALL_FEATURES -> normalizeAll(out);
            case NONE -> { }
        }
        return out;
    }

    /** NeMo's all_features: one mean and unbiased standard deviation (+ 1e-5) over every value. */
    static void normalizeAll(float[][] x) {
        long n = 0;
        double sum = 0;
        for (float[] row : x) {
            for (float v : row) sum += v;
            n += row.length;
        }
        if (n == 0) return;
        double mean = sum / n;
        double sq = 0;
        for (float[] row : x) for (float v : row) sq += (v - mean) * (v - mean);
        double std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
        for (float[] row : x) for (int i = 0; i < row.length; i++) row[i] = (float) ((row[i] - mean) / (std + 1e-5));
    }

    String description() {
        return "NeMo log-mel, " + dim + " bins, " + switch (normalization) {
            case NONE -> "not normalised";
            case PER_FEATURE -> "per_feature normalised";
            case ALL_FEATURES -> "all_features normalised";
        };
    }
}
