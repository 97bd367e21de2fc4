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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * NumPy's {@code .npy} format (version 1.0, little-endian, C order) for float arrays, and
 * reading the arrays of an {@code .npz} archive: how feature matrices travel between
 * Sotto and Python (users compare {@code sotto features} output with NeMo's).
 */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A float array with its shape; {@code data} is row-major. */
    public record Array(int[] shape, float[] data) {
        /** Rows of a 2-D array. */
        public float[][] rows() {
            if (shape.length != 2) throw new IllegalStateException("not 2-D: " + java.util.Arrays.toString(shape));
            float[][] out = new float[shape[0]][shape[1]];
            for (int i = 0; i < shape[0]; i++) {
                System.arraycopy(data, i * shape[1], out[i], 0, shape[1]);
            }
            return out;
        }
    }

    /** Writes float32 rows [n][dim] as an .npy file. */
    public static void write(Path file, float[][] rows, int dim) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", " + dim + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        h.append(" ".repeat(pad)).append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(hb.length & 0xff);
            out.write(hb.length >>> 8);
            out.write(hb);
            ByteBuffer row = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] r : rows) {
                row.clear();
                for (int i = 0; i < dim; i++) row.putFloat(r[i]);
                out.write(row.array());
            }
        }
    }

    public static Array read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** All arrays of an .npz archive, by name (without the .npy suffix). */
    public static Map<String, Array> readNpz(Path file) {
        Map<String, Array> arrays = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName().replaceFirst("\\.npy$", "");
                arrays.put(name, read(zip, file + ":" + e.getName()));
            }
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the .npz archive: " + e.getMessage(), e);
        }
        return arrays;
    }

    private static Array read(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N') {
            throw new SottoException(name + ": not a .npy file");
        }
        int headerLength;
        if (magic[6] == 1) {
            byte[] b = in.readNBytes(2);
            headerLength = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else {
            byte[] b = in.readNBytes(4);
            headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII);
        String descr = group(DESCR, header, name);
        if (group(ORDER, header, name).equals("True")) throw new SottoException(name + ": Fortran order is not supported");
        String[] dims = group(SHAPE, header, name).split(",");
        int[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int n = 1;
        for (int d : shape) n *= d;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[n];
        switch (descr) {
            case "<f4" -> { for (int i = 0; i < n; i++) data[i] = buf.getFloat(); }
            case "<f8" -> { for (int i = 0; i < n; i++) data[i] = (float) buf.getDouble(); }
            default -> throw new SottoException(name + ": unsupported dtype " + descr + " (float32 or float64 expected)");
        }
        return new Array(shape, data);
    }

    private static String group(Pattern p, String header, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new SottoException(name + ": malformed .npy header: " + header.strip());
        return m.group(1);
    }
}
