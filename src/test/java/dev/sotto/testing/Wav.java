package dev.sotto.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads 16 kHz mono 16-bit PCM WAV files as samples in [-1, 1) (int16 / 32768, as
 * sherpa-onnx reads them). Test only, until the main code's audio decoder lands.
 */
public final class Wav {
    private Wav() {
    }

    public static float[] read16kMono(Path file) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 16000 || f.getChannels() != 1 || f.getSampleSizeInBits() != 16
                    || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.isBigEndian()) {
                throw new IllegalArgumentException(file + ": not 16 kHz mono 16-bit PCM: " + f);
            }
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] samples = new float[bytes.remaining() / 2];
            for (int i = 0; i < samples.length; i++) samples[i] = bytes.getShort() / 32768f;
            return samples;
        } catch (IOException | UnsupportedAudioFileException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@code ../shared} (the {@code sotto.shared} system property set by the build). */
    public static Path shared() {
        return Path.of(System.getProperty("sotto.shared", "../shared"));
    }
}
