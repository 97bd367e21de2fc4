package dev.sotto.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A WAV file that already holds what {@link AudioDecoder} returns (16 kHz, one channel,
 * 16-bit integer or 32-bit float PCM), read without FFmpeg: loading FFmpeg's libraries costs
 * more than a second of CPU and about 45 MB, several times what decoding a short clip costs.
 *
 * <p>The samples are FFmpeg's, bit for bit: its resampler turns s16 into float by
 * multiplying by 2<sup>-15</sup> (exact in float) and passes float through, and at 16 kHz
 * mono it neither resamples nor mixes. Anything else (another rate, several channels,
 * another encoding, RF64, a data chunk whose size is unknown or larger than the file, odd
 * padding) returns {@code null} from {@link #open}, and FFmpeg reads the file as before,
 * with its warnings for damaged input.
 */
final class PlainWav implements AutoCloseable {
    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    private static final int BLOCK = 16 * 1024; // bytes read at a time: memory stays flat

    private final FileChannel channel;
    private final boolean isFloat;
    private final long samples;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
    private long remainingBytes;

    private PlainWav(FileChannel channel, boolean isFloat, long dataBytes) {
        this.channel = channel;
        this.isFloat = isFloat;
        this.remainingBytes = dataBytes;
        this.samples = dataBytes / (isFloat ? 4 : 2);
        block.limit(0);
    }

    /** The file as a plain WAV positioned at its samples, or null when FFmpeg should read it. */
    static PlainWav open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // FFmpeg opens it and reports the problem in its words
        }
        try {
            PlainWav wav = parse(channel);
            if (wav != null) return wav;
        } catch (IOException e) {
            // not a plain WAV we can vouch for: FFmpeg decides
        }
        closeQuietly(channel);
        return null;
    }

    private static PlainWav parse(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer head = read(channel, 0, 12);
        if (head == null || head.getInt(0) != tag("RIFF") || head.getInt(8) != tag("WAVE")) return null;
        long pos = 12;
        Boolean isFloat = null;
        while (pos + 8 <= size) {
            ByteBuffer chunk = read(channel, pos, 8);
            if (chunk == null) return null;
            int id = chunk.getInt(0);
            long length = Integer.toUnsignedLong(chunk.getInt(4));
            long body = pos + 8;
            if (id == tag("fmt ")) {
                if (length < 16 || body + length > size) return null;
                isFloat = format(read(channel, body, (int) Math.min(length, 40)));
                if (isFloat == null) return null;
            } else if (id == tag("data")) {
                int sampleBytes = Boolean.TRUE.equals(isFloat) ? 4 : 2;
                // fmt must come first; a size of 0 or 0xFFFFFFFF means "unknown" (streamed): FFmpeg reads those.
                if (isFloat == null || length == 0 || length == 0xFFFFFFFFL || body + length > size
                        || length % sampleBytes != 0) {
                    return null;
                }
                channel.position(body);
                return new PlainWav(channel, isFloat, length);
            }
            pos = body + length + (length & 1); // chunks are padded to an even size
        }
        return null;
    }

    /** True for 32-bit float, false for 16-bit integer, null for any other format. */
    private static Boolean format(ByteBuffer fmt) {
        if (fmt == null) return null;
        int tag = fmt.getShort(0) & 0xFFFF;
        int channels = fmt.getShort(2) & 0xFFFF;
        int rate = fmt.getInt(4);
        int bits = fmt.getShort(14) & 0xFFFF;
        if (tag == EXTENSIBLE) {
            if (fmt.limit() < 40 || (fmt.getShort(18) & 0xFFFF) != bits) return null; // padded containers: FFmpeg
            tag = fmt.getShort(24) & 0xFFFF; // the sub-format GUID starts with the format tag
        }
        if (channels != 1 || rate != AudioDecoder.SAMPLE_RATE) return null;
        int blockAlign = fmt.getShort(12) & 0xFFFF;
        if (tag == PCM && bits == 16 && blockAlign == 2) return false;
        if (tag == FLOAT && bits == 32 && blockAlign == 4) return true;
        return null;
    }

    private static ByteBuffer read(FileChannel channel, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) return null;
        }
        return b.flip();
    }

    private static int tag(String fourCc) {
        return (fourCc.charAt(0)) | (fourCc.charAt(1) << 8) | (fourCc.charAt(2) << 16) | (fourCc.charAt(3) << 24);
    }

    /** Samples in the file. */
    long samples() {
        return samples;
    }

    /** FFmpeg's name for the codec, as {@link AudioDecoder#description()} gives it. */
    String codec() {
        return isFloat ? "pcm_f32le" : "pcm_s16le";
    }

    /** Reads up to {@code length} samples; -1 at the end. */
    int read(float[] buffer, int offset, int length) throws IOException {
        int n = 0;
        int width = isFloat ? 4 : 2;
        while (n < length) {
            if (block.remaining() < width) {
                if (remainingBytes == 0) break;
                block.clear();
                block.limit((int) Math.min(BLOCK, remainingBytes));
                while (block.hasRemaining()) {
                    if (channel.read(block) < 0) throw new IOException("the file ended before its declared length");
                }
                remainingBytes -= block.limit();
                block.flip();
            }
            int k = Math.min(length - n, block.remaining() / width);
            if (isFloat) {
                for (int i = 0; i < k; i++) buffer[offset + n + i] = block.getFloat();
            } else {
                for (int i = 0; i < k; i++) buffer[offset + n + i] = block.getShort() * (1.0f / 32768);
            }
            n += k;
        }
        return n == 0 && length > 0 ? -1 : n;
    }

    /** Samples held at once: one block. */
    int bufferCapacity() {
        return BLOCK / (isFloat ? 4 : 2);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written: nothing to lose
        }
    }
}
