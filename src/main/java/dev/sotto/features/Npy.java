package dev.sotto.features;

import dev.sotto.SottoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * NumPy's {@code .npy} format (little-endian, C order) for float32 arrays, and reading
 * the arrays of an {@code .npz} archive: how feature matrices travel between Sotto and
 * Python (users compare {@code sotto features} output with NeMo's), and how the tests
 * read reference values and Whisper's {@code mel_filters.npz}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** An array: its shape and its values (converted to float), row-major. */
    public record Array(int[] shape, float[] data) {
        public int dim(int i) {
            return shape[i];
        }

        /** The rows of a 2-D array. */
        public float[][] rows() {
            if (shape.length != 2) throw new IllegalStateException("not 2-D: " + Arrays.toString(shape));
            float[][] out = new float[shape[0]][];
            for (int i = 0; i < shape[0]; i++) out[i] = Arrays.copyOfRange(data, i * shape[1], (i + 1) * shape[1]);
            return out;
        }

        @Override
        public String toString() {
            return "Array" + Arrays.toString(shape);
        }
    }

    public static Array read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Every array of an {@code .npz} archive, by name without the {@code .npy} suffix. */
    public static Map<String, Array> readNpz(Path file) {
        Map<String, Array> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                arrays.put(name, read(zip, file + "!" + e.getName()));
            }
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the .npz archive: " + e.getMessage(), e);
        }
        return arrays;
    }

    /** Reads one array; {@code what} names the source in errors. */
    public static Array read(InputStream in, String what) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new SottoException(what + ": not a NumPy .npy file");
        }
        int major = magic[6];
        byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
        ByteBuffer lb = ByteBuffer.wrap(Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? lb.getShort() & 0xFFFF : lb.getInt();
        String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, what);
        if (group(ORDER, header, what).equals("True")) {
            throw new SottoException(what + ": Fortran-ordered arrays are not supported");
        }
        String dims = group(SHAPE, header, what).trim();
        int[] shape = dims.isEmpty() ? new int[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            default -> throw new SottoException(what + ": unsupported dtype " + descr + " (little-endian f4, f8, i4, i8 only)");
        };
        ByteBuffer data = ByteBuffer.wrap(in.readNBytes(count * width)).order(ByteOrder.LITTLE_ENDIAN);
        if (data.capacity() != count * width) throw new SottoException(what + ": file is truncated");
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (descr) {
                case "<f4" -> data.getFloat();
                case "<f8" -> (float) data.getDouble();
                case "<i4" -> data.getInt();
                default -> data.getLong();
            };
        }
        return new Array(shape, values);
    }

    private static String group(Pattern p, String header, String what) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new SottoException(what + ": malformed .npy header: " + header.trim());
        return m.group(1);
    }

    /** Writes {@code data} (row-major, {@code shape}) as a float32 {@code .npy} file. */
    public static void write(Path file, float[] data, int... shape) {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, data, shape);
        } catch (IOException e) {
            throw new SottoException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    public static void write(OutputStream out, float[] data, int... shape) throws IOException {
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (count != data.length) throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        String dims = String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList())
                + (shape.length == 1 ? "," : "");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        // The header (magic + version + length + dict + newline) is padded to a multiple of 64 bytes.
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        out.write(body.array());
    }
}
