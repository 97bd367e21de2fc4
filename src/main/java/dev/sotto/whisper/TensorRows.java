package dev.sotto.whisper;

import ai.onnxruntime.OnnxTensor;
import dev.sotto.runtime.Tensors;

/**
 * Picks rows of a tensor along one axis (the batch axis of caches and encoder outputs):
 * beam search reorders rows, and every beam of a window needs its own copy of the
 * window's encoder output.
 */
final class TensorRows {
    private TensorRows() {
    }

    /** A new tensor whose row {@code r} along {@code axis} is row {@code source[r]} of {@code in}. */
    static OnnxTensor gather(OnnxTensor in, int axis, int[] source) {
        long[] shape = in.getInfo().getShape();
        return gather(Tensors.toFloats(in), shape, axis, source);
    }

    static OnnxTensor gather(float[] data, long[] shape, int axis, int[] source) {
        long outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        int rowsIn = (int) shape[axis];
        int block = Math.toIntExact(inner);
        float[] out = new float[Math.toIntExact(outer * source.length * inner)];
        for (int o = 0; o < outer; o++) {
            for (int r = 0; r < source.length; r++) {
                System.arraycopy(data, (o * rowsIn + source[r]) * block, out, (o * source.length + r) * block, block);
            }
        }
        long[] outShape = shape.clone();
        outShape[axis] = source.length;
        return Tensors.floats(out, outShape);
    }

    static boolean isIdentity(int[] source, int rows) {
        if (source.length != rows) return false;
        for (int i = 0; i < source.length; i++) if (source[i] != i) return false;
        return true;
    }
}
