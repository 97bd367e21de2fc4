package dev.sotto.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.sotto.SottoException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float16 inputs and outputs of fp16 exports made without {@code keep_io_types}
 * (Optimum's {@code --dtype fp16}, some converted sherpa-onnx packages), presented to the
 * engine as float32, so the families need no fp16 code: a float32 tensor given for a float16
 * input is converted before the run (and the other way round), and a float32 tensor pinned
 * for a float16 output is filled after it. Outputs that are not pinned come back as float16
 * tensors, which {@link Tensors#toFloats} reads as floats. The conversions are on the host,
 * a few microseconds per thousand values.
 */
final class HalfPrecision {
    private HalfPrecision() {
    }

    static boolean isFloat(OnnxJavaType type) {
        return type == OnnxJavaType.FLOAT || type == OnnxJavaType.FLOAT16;
    }

    /**
     * The feed with each float tensor converted to the float type its input declares; the
     * converted tensors are added to {@code created}, for the caller to close after the run.
     */
    static Map<String, OnnxTensor> adapt(Map<String, OnnxTensor> feed, Map<String, OnnxJavaType> declared,
                                         List<OnnxTensor> created) {
        Map<String, OnnxTensor> out = feed;
        for (Map.Entry<String, OnnxTensor> e : feed.entrySet()) {
            OnnxJavaType want = declared.get(e.getKey());
            OnnxJavaType have = e.getValue().getInfo().type;
            if (want == null || want == have || !isFloat(want) || !isFloat(have)) continue;
            if (out == feed) out = new LinkedHashMap<>(feed);
            OnnxTensor converted = convert(e.getValue(), want);
            created.add(converted);
            out.put(e.getKey(), converted);
        }
        return out;
    }

    private static OnnxTensor convert(OnnxTensor tensor, OnnxJavaType to) {
        long[] shape = tensor.getInfo().getShape();
        FloatBuffer values = tensor.getFloatBuffer();   // float16 is widened by ORT
        try {
            return to == OnnxJavaType.FLOAT16
                    ? OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                            Fp16Conversions.convertFloatBufferToFp16Buffer(values), shape, OnnxJavaType.FLOAT16)
                    : OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), values, shape);
        } catch (OrtException e) {
            throw new SottoException("could not convert a tensor to " + TensorSpec.typeName(to) + ": " + e.getMessage(), e);
        }
    }

    /** The names of the pinned outputs that ORT cannot fill itself (their declared type differs). */
    static List<String> unpinnable(Map<String, OnnxTensor> pinned, Map<String, OnnxJavaType> declared) {
        List<String> names = new ArrayList<>();
        pinned.forEach((name, tensor) -> {
            OnnxJavaType want = declared.get(name);
            OnnxJavaType have = tensor.getInfo().type;
            if (want != have && want != null && isFloat(want) && isFloat(have)) names.add(name);
        });
        return names;
    }

    /** Copies a float16 (or float32) output into a float32 tensor over a direct buffer. */
    static void copyInto(OnnxValue output, OnnxTensor pinned) {
        Buffer ref = pinned.getBufferRef().orElseThrow(() ->
                new IllegalArgumentException("a pinned output must be a tensor over a direct buffer"));
        FloatBuffer target = ref instanceof ByteBuffer bytes
                ? bytes.duplicate().order(ByteOrder.nativeOrder()).clear().asFloatBuffer()
                : ((FloatBuffer) ref).duplicate().clear();
        target.put(((OnnxTensor) output).getFloatBuffer());
    }
}
