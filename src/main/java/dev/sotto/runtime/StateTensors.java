package dev.sotto.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtEnvironment;
import dev.sotto.SottoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * State tensors a model reads on every call and writes back (a streaming encoder's
 * caches), held in direct memory in two copies: one call reads the current copy and ONNX
 * Runtime writes the next state straight into the other (pinned outputs), then they swap.
 * Feeding the state back copies nothing and allocates nothing, which matters when the
 * caches are megabytes and a chunk is 80 ms.
 */
public final class StateTensors {
    /** One state tensor: element type and full shape (batch axis included). */
    public record Spec(OnnxJavaType type, long[] shape) {
        public int bytes() {
            long n = 1;
            for (long d : shape) n *= d;
            return (int) n * (type == OnnxJavaType.FLOAT ? 4 : 8);
        }
    }

    private final List<Spec> specs;
    private final ByteBuffer[][] copies;   // [2][state]
    private int current;

    /** All states zero. */
    public StateTensors(List<Spec> specs) {
        for (Spec s : specs) {
            if (s.type != OnnxJavaType.FLOAT && s.type != OnnxJavaType.INT64) {
                throw new IllegalArgumentException("state tensors are float32 or int64, not " + s.type);
            }
        }
        this.specs = List.copyOf(specs);
        this.copies = new ByteBuffer[2][specs.size()];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < specs.size(); i++) {
                copies[c][i] = ByteBuffer.allocateDirect(specs.get(i).bytes()).order(ByteOrder.nativeOrder());
            }
        }
    }

    public int size() {
        return specs.size();
    }

    /** The current value of state i (position 0, limit = its size); writes go to the state itself. */
    public ByteBuffer current(int i) {
        return copies[current][i].duplicate().order(ByteOrder.nativeOrder()).clear();
    }

    /** Tensors over the current state, to pass as inputs; the caller closes them. */
    public OnnxTensor[] inputs() {
        return wrap(copies[current]);
    }

    /** Tensors over the other copy, to pass as pinned outputs; the caller closes them, then calls {@link #swap}. */
    public OnnxTensor[] outputs() {
        return wrap(copies[1 - current]);
    }

    /** After a run that wrote {@link #outputs()}: they become the current state. */
    public void swap() {
        current = 1 - current;
    }

    private OnnxTensor[] wrap(ByteBuffer[] buffers) {
        OnnxTensor[] out = new OnnxTensor[buffers.length];
        try {
            for (int i = 0; i < buffers.length; i++) {
                ByteBuffer b = buffers[i].duplicate().order(ByteOrder.nativeOrder()).clear();
                out[i] = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), b, specs.get(i).shape(), specs.get(i).type());
            }
            return out;
        } catch (OrtException e) {
            Tensors.close(out);
            throw new SottoException("could not wrap a state tensor: " + e.getMessage(), e);
        }
    }
}
