package dev.sotto.runtime.cuda;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The smallest model that touches what a speech model needs on the GPU: a 1×1 convolution
 * (cuDNN) followed by a matrix product (cuBLAS), {@code y = MatMul(Conv(x, w), m)} with
 * x [1,1,4,4], w [1,1,1,1], m [4,4]. Written here as ONNX protobuf bytes (field numbers of
 * onnx.proto) so that checking a device needs no file.
 */
final class ProbeModel {
    static final long[] X_SHAPE = {1, 1, 4, 4};
    static final long[] W_SHAPE = {1, 1, 1, 1};
    static final long[] M_SHAPE = {4, 4};
    private static final int FLOAT = 1;

    private ProbeModel() {
    }

    static byte[] bytes() {
        Proto graph = new Proto()
                .message(1, node("Conv", "conv", new String[] {"x", "w"}, "c"))
                .message(1, node("MatMul", "matmul", new String[] {"c", "m"}, "y"))
                .string(2, "sotto-probe")
                .message(11, input("x", X_SHAPE))
                .message(11, input("w", W_SHAPE))
                .message(11, input("m", M_SHAPE))
                .message(12, input("y", X_SHAPE));
        return new Proto()
                .varint(1, 8)                                             // ir_version
                .string(2, "sotto")                                       // producer_name
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 17))    // opset_import: ai.onnx 17
                .toBytes();
    }

    private static Proto node(String op, String name, String[] inputs, String output) {
        Proto node = new Proto();
        for (String i : inputs) node.string(1, i);
        return node.string(2, output).string(3, name).string(4, op);
    }

    private static Proto input(String name, long[] shape) {
        Proto dims = new Proto();
        for (long d : shape) dims.message(1, new Proto().varint(1, d));
        Proto tensorType = new Proto().varint(1, FLOAT).message(2, dims);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** Just enough of the protobuf wire format: varints, strings and nested messages. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toBytes());
        }

        private Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
