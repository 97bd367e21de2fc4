package dev.sotto.runtime;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;

/**
 * The declared type of one graph input or output. A negative dimension is symbolic
 * (dynamic): batch, time and the like.
 */
public record TensorSpec(String name, OnnxJavaType type, long[] shape) {
    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public boolean isDynamic(int i) {
        return shape[i] < 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(' ').append(typeName(type)).append(" [");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }

    static String typeName(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case INT64 -> "int64";
            case INT32 -> "int32";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
