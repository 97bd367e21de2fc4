package dev.sotto.testing;

import java.io.IOException;
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

    /** A WAV file's samples (x / 32768, channels averaged) and rate. */
    public record Audio(float[] samples, int sampleRate) {
        public double seconds() {
            return samples.length / (double) sampleRate;
        }
    }

    /** Reads a 16-bit PCM WAV file without FFmpeg, so tests of the engine do not depend on the decoder. */
    public static Audio readWav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) throw new IOException(file + ": not a RIFF/WAVE file");
        int pos = 12;
        int channels = 0;
        int rate = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) {   // "fmt "
                if (b.getShort(pos + 8) != 1 || b.getShort(pos + 22) != 16) throw new IOException(file + ": not 16-bit PCM");
                channels = b.getShort(pos + 10);
                rate = b.getInt(pos + 12);
            } else if (id == 0x61746164) {   // "data"
                int frames = Math.min(size, b.limit() - pos - 8) / (2 * channels);
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += b.getShort(pos + 8 + 2 * (i * channels + c));
                    out[i] = (float) (sum / channels / 32768.0);
                }
                return new Audio(out, rate);
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    /** A 16-bit PCM WAV file's channels (the stereo test's reference comes from them). */
    public static float[][] readWavChannels(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int ch = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) ch = b.getShort(pos + 10);
            if (id == 0x61746164) {
                int frames = Math.min(size, b.limit() - pos - 8) / (2 * ch);
                float[][] out = new float[ch][frames];
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < ch; c++) out[c][i] = b.getShort(pos + 8 + 2 * (i * ch + c)) / 32768f;
                }
                return out;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(wav + ": no data chunk");
    }
}
