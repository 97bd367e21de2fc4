package dev.sotto.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.sotto.SottoException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/** Creating input tensors from Java arrays and reading outputs back. */
public final class Tensors {
    private Tensors() {
    }

    private static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment();
    }

    public static OnnxTensor floats(float[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env(), FloatBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new SottoException("could not create a float tensor: " + e.getMessage(), e);
        }
    }

    /** A float tensor backed by a direct buffer (no copy); the buffer must stay alive. */
    public static OnnxTensor floats(FloatBuffer direct, long... shape) {
        try {
            return OnnxTensor.createTensor(env(), direct, shape);
        } catch (OrtException e) {
            throw new SottoException("could not create a float tensor: " + e.getMessage(), e);
        }
    }

    /** An int64 tensor backed by a direct buffer (no copy); the buffer must stay alive. */
    public static OnnxTensor longs(LongBuffer direct, long... shape) {
        try {
            return OnnxTensor.createTensor(env(), direct, shape);
        } catch (OrtException e) {
            throw new SottoException("could not create an int64 tensor: " + e.getMessage(), e);
        }
    }

    public static OnnxTensor longs(long[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env(), LongBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new SottoException("could not create an int64 tensor: " + e.getMessage(), e);
        }
    }

    public static OnnxTensor ints(int[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env(), IntBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new SottoException("could not create an int32 tensor: " + e.getMessage(), e);
        }
    }

    public static OnnxTensor bools(boolean[] data, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length);
        for (boolean b : data) buffer.put((byte) (b ? 1 : 0));
        buffer.rewind();
        try {
            return OnnxTensor.createTensor(env(), buffer, shape, ai.onnxruntime.OnnxJavaType.BOOL);
        } catch (OrtException e) {
            throw new SottoException("could not create a bool tensor: " + e.getMessage(), e);
        }
    }

    public static float[] toFloats(OnnxValue value) {
        FloatBuffer b = ((OnnxTensor) value).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    public static long[] toLongs(OnnxValue value) {
        LongBuffer b = ((OnnxTensor) value).getLongBuffer();
        long[] out = new long[b.remaining()];
        b.get(out);
        return out;
    }

    public static long[] shape(OnnxValue value) {
        return ((OnnxTensor) value).getInfo().getShape();
    }

    /** Closes tensors, ignoring nulls. */
    public static void close(AutoCloseable... values) {
        for (AutoCloseable v : values) {
            if (v == null) continue;
            try {
                v.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
