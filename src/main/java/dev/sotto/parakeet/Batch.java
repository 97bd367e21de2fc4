package dev.sotto.parakeet;

import ai.onnxruntime.OnnxTensor;
import dev.sotto.runtime.Tensors;
import java.util.List;

/**
 * Pieces' features as one encoder input: {@code audio_signal [B, dim, T]} zero-padded to
 * the longest piece, and {@code length [B]}, each piece's own frame count.
 */
record Batch(float[] signal, long[] lengths, int dim, int frames) {
    static Batch of(List<float[][]> features, int dim) {
        int b = features.size();
        int t = 0;
        for (float[][] f : features) t = Math.max(t, f.length);
        float[] signal = new float[b * dim * t];
        long[] lengths = new long[b];
        for (int s = 0; s < b; s++) {
            float[][] f = features.get(s);
            lengths[s] = f.length;
            int base = s * dim * t;
            for (int i = 0; i < f.length; i++) {
                for (int k = 0; k < dim; k++) signal[base + k * t + i] = f[i][k];
            }
        }
        return new Batch(signal, lengths, dim, t);
    }

    OnnxTensor signalTensor() {
        return Tensors.floats(signal, lengths.length, dim, frames);
    }

    OnnxTensor lengthTensor() {
        return Tensors.longs(lengths, lengths.length);
    }
}
