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
 * caches are megabytes and a chunk is 80 ms. The tensor objects over both copies are made
 * once; {@link #close} releases them.
 */
public final class StateTensors implements AutoCloseable {
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
    private final OnnxTensor[][] tensors;  // [2][state], views of the copies
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
        this.tensors = new OnnxTensor[][] {wrap(copies[0]), wrap(copies[1])};
    }

    public int size() {
        return specs.size();
    }

    /** The current value of state i (position 0, limit = its size); writes go to the state itself. */
    public ByteBuffer current(int i) {
        return copies[current][i].duplicate().order(ByteOrder.nativeOrder()).clear();
    }

    /** Tensors over the current state, to pass as inputs (owned by this object: do not close them). */
    public OnnxTensor[] inputs() {
        return tensors[current].clone();
    }

    /** Tensors over the other copy, to pass as pinned outputs (owned by this object); then call {@link #swap}. */
    public OnnxTensor[] outputs() {
        return tensors[1 - current].clone();
    }

    /** After a run that wrote {@link #outputs()}: they become the current state. */
    public void swap() {
        current = 1 - current;
    }

    @Override
    public void close() {
        Tensors.close(tensors[0]);
        Tensors.close(tensors[1]);
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
