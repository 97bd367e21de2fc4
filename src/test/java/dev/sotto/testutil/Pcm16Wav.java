package dev.sotto.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads 16-bit PCM WAV files for tests (samples / 32768, channels averaged), and finds shared data. */
public final class Pcm16Wav {
    private Pcm16Wav() {
    }

    public record Audio(float[] samples, int sampleRate) {
        public double seconds() {
            return samples.length / (double) sampleRate;
        }
    }

    public static Audio read(Path file) throws IOException {
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
                int frames = size / (2 * channels);
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

    /** The shared data folder ({@code ../shared}), as the pom passes it. */
    public static Path shared() {
        return Path.of(System.getProperty("sotto.shared", "../shared"));
    }

    /** The generated synthetic models ({@code target/test-models}), as the pom passes it. */
    public static Path testModels() {
        return Path.of(System.getProperty("sotto.testModels", "target/test-models"));
    }
}
