package dev.sotto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the little-endian float32 {@code .npy} files the reference scripts write (test
 * only; the main code will get its own {@code Npy} class).
 */
public final class NpyReader {
    public record Array(int[] shape, float[] data) {
        public int rows() {
            return shape[0];
        }

        public int cols() {
            return shape.length > 1 ? shape[1] : 1;
        }
    }

    private NpyReader() {
    }

    /** A resource on the test class path, e.g. {@code /reference/fbank-jfk-3s.npy}. */
    public static Array resource(String name) {
        try (InputStream in = NpyReader.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + name);
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Array read(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(0) != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException("not an .npy file");
        }
        int major = b.get(6);
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException("only C-order little-endian float32 is supported: " + header);
        }
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
        int[] shape = Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        float[] data = new float[n];
        b.position(headerStart + headerLength);
        b.asFloatBuffer().get(data);
        return new Array(shape, data);
    }
}
