package dev.sotto.runtime;

import dev.sotto.SottoException;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an ONNX file's {@code metadata_props} without loading the model: walks the
 * top-level fields of the ModelProto and skips the graph, so looking at a 2 GB encoder
 * (to pick a chunk size or detect a family) costs a few reads, not a session.
 */
public final class OnnxMetadata {
    private static final int METADATA_PROPS = 14;

    private OnnxMetadata() {
    }

    public static Map<String, String> read(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            Map<String, String> out = new HashMap<>();
            long end = in.length();
            while (in.getFilePointer() < end) {
                long key = varint(in);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                switch (wire) {
                    case 0 -> varint(in);
                    case 1 -> in.seek(in.getFilePointer() + 8);
                    case 5 -> in.seek(in.getFilePointer() + 4);
                    case 2 -> {
                        long length = varint(in);
                        if (field == METADATA_PROPS) {
                            byte[] entry = new byte[(int) length];
                            in.readFully(entry);
                            entry(entry, out);
                        } else {
                            in.seek(in.getFilePointer() + length);
                        }
                    }
                    default -> throw new IOException("unexpected protobuf wire type " + wire);
                }
            }
            return out;
        } catch (IOException e) {
            throw new SottoException(file + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
    }

    private static void entry(byte[] b, Map<String, String> out) throws IOException {
        String key = null;
        String value = "";
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = varint(b, pos);
            if ((tag & 7) != 2) throw new IOException("bad metadata entry");
            int length = (int) varint(b, pos);
            String s = new String(b, pos[0], length, StandardCharsets.UTF_8);
            pos[0] += length;
            if (tag >>> 3 == 1) key = s;
            else if (tag >>> 3 == 2) value = s;
        }
        if (key != null) out.put(key, value);
    }

    private static long varint(RandomAccessFile in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) throw new EOFException("truncated file");
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IOException("malformed varint");
    }

    private static long varint(byte[] b, int[] pos) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) throw new EOFException("truncated metadata");
            int v = b[pos[0]++];
            result |= (long) (v & 0x7f) << shift;
            if ((v & 0x80) == 0) return result;
        }
        throw new IOException("malformed varint");
    }
}
