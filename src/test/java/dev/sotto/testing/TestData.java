package dev.sotto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where test inputs live: the generated synthetic models, ../shared, test resources. */
public final class TestData {
    private TestData() {
    }

    /** ../shared (real models, audio, references), or the sotto.shared system property. */
    public static Path shared() {
        return Path.of(System.getProperty("sotto.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** The synthetic models made by models/make_test_models.py (the build runs it). */
    public static Path testModels() {
        return Path.of(System.getProperty("sotto.testModels", "target/test-models")).toAbsolutePath().normalize();
    }

    public static Path resource(String name) {
        return Path.of("src/test/resources").resolve(name).toAbsolutePath();
    }

    /** Samples of a 16-bit PCM mono WAV file as floats (x / 32768), without FFmpeg. */
    public static float[] readWav16(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] all = in.readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 12;
            while (pos + 8 <= all.length) {
                String id = new String(all, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
                int size = b.getInt(pos + 4);
                if (id.equals("fmt ")) {
                    short format = b.getShort(pos + 8);
                    short channels = b.getShort(pos + 10);
                    short bits = b.getShort(pos + 22);
                    if (format != 1 || channels != 1 || bits != 16) {
                        throw new IOException(file + ": not 16-bit PCM mono");
                    }
                } else if (id.equals("data")) {
                    int n = Math.min(size, all.length - pos - 8) / 2;
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) out[i] = b.getShort(pos + 8 + 2 * i) / 32768f;
                    return out;
                }
                pos += 8 + size + (size & 1);
            }
            throw new IOException(file + ": no data chunk");
        }
    }
}
