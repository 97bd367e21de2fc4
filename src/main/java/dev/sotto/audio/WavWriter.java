package dev.sotto.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sotto.SottoException;

/** Writes mono audio as a WAV file: 16-bit PCM (what most tools expect) or 32-bit float. */
final class WavWriter {
    public enum Encoding {
        /** Samples clipped to [-1, 1] and rounded to 16 bits. */
        PCM_16(2, 1),
        /** Samples stored exactly (WAVE_FORMAT_IEEE_FLOAT). */
        FLOAT_32(4, 3);

        final int bytes;
        final int formatTag;

        Encoding(int bytes, int formatTag) {
            this.bytes = bytes;
            this.formatTag = formatTag;
        }
    }

    private WavWriter() {
    }

    /** Writes 16-bit PCM. */
    public static void write(Path file, float[] samples, int sampleRate) {
        write(file, samples, 0, samples.length, sampleRate, Encoding.PCM_16);
    }

    public static void write(Path file, float[] samples, int offset, int length, int sampleRate, Encoding encoding) {
        java.util.Objects.checkFromIndexSize(offset, length, samples.length);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(header(sampleRate, 1, encoding, (long) length * encoding.bytes));
            ByteBuffer chunk = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < length; i++) {
                if (chunk.remaining() < encoding.bytes) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                putSample(chunk, samples[offset + i], encoding);
            }
            out.write(chunk.array(), 0, chunk.position());
        } catch (IOException e) {
            throw new SottoException("Cannot write " + file + ": " + e.getMessage()
                    + ". Check that the folder exists and is writable.", e);
        }
    }

    static void putSample(ByteBuffer out, float sample, Encoding encoding) {
        if (encoding == Encoding.FLOAT_32) {
            out.putFloat(sample);
        } else {
            float clipped = Math.max(-1f, Math.min(1f, sample));
            out.putShort((short) Math.round(clipped * 32767f));
        }
    }

    /** The 44-byte RIFF header for {@code dataBytes} bytes of interleaved samples. */
    static byte[] header(int sampleRate, int channels, Encoding encoding, long dataBytes) {
        if (dataBytes > 0xFFFF_FFFFL - 36) {
            throw new IllegalArgumentException("WAV cannot hold " + dataBytes + " bytes (4 GiB limit)");
        }
        int blockAlign = channels * encoding.bytes;
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) encoding.formatTag).putShort((short) channels);
        b.putInt(sampleRate).putInt(sampleRate * blockAlign);
        b.putShort((short) blockAlign).putShort((short) (encoding.bytes * 8));
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return b.array();
    }
}
