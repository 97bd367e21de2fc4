package dev.sotto.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WAV files read without FFmpeg give FFmpeg's samples bit for bit; every file that is not
 * plain 16 kHz mono PCM still goes through FFmpeg.
 */
class PlainWavTest {
    @TempDir
    Path dir;

    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    @Test
    void sharedJfkWavIsFfmpegsSamplesBitForBit() {
        Path jfk = Path.of(System.getProperty("sotto.shared", "../shared")).resolve("audio/en/jfk.wav");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jfk), "no shared audio at " + jfk);
        assertSameAsFfmpeg(jfk, true);
    }

    @Test
    void sixteenBitIncludingTheExtremesIsFfmpegsSamples() throws Exception {
        short[] s = noise16(40_000, 1);
        s[0] = Short.MIN_VALUE;
        s[1] = Short.MAX_VALUE;
        s[2] = 0;
        s[3] = -1;
        Path f = write("s16.wav", riff(fmt(PCM, 1, 16000, 16), null, data(s), false));
        assertSameAsFfmpeg(f, true);
    }

    @Test
    void floatIncludingOutOfRangeValuesIsFfmpegsSamples() throws Exception {
        Random r = new Random(2);
        float[] x = new float[20_001];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.3);
        x[0] = 1.5f;
        x[1] = -2f;
        x[2] = Float.MIN_VALUE;
        x[3] = -0f;
        ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) b.putFloat(v);
        Path f = write("f32.wav", riff(fmt(FLOAT, 1, 16000, 32), null, b.array(), false));
        assertSameAsFfmpeg(f, true);
    }

    @Test
    void extensibleHeaderOtherChunksAndOddPaddingAreHandled() throws Exception {
        short[] s = noise16(16_003, 3);
        // A LIST chunk of odd length (padded) before the data, and a chunk after it.
        byte[] list = chunk("LIST", "INFOISFT\u0005\u0000\u0000\u0000abcde".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path f = write("ext.wav", riff(extensible(PCM, 16000, 16), list, data(s), true));
        assertSameAsFfmpeg(f, true);
    }

    @Test
    void otherRatesChannelsAndEncodingsGoThroughFfmpeg() throws Exception {
        short[] s = noise16(8_000, 4);
        assertSameAsFfmpeg(write("44k.wav", riff(fmt(PCM, 1, 44100, 16), null, data(s), false)), false);
        assertSameAsFfmpeg(write("stereo.wav", riff(fmt(PCM, 2, 16000, 16), null, data(s), false)), false);
        byte[] u8 = new byte[8_000];
        new Random(5).nextBytes(u8);
        assertSameAsFfmpeg(write("u8.wav", riff(fmt(PCM, 1, 16000, 8), null, u8, false)), false);
    }

    @Test
    void truncatedOrStreamedWavIsLeftToFfmpegAndItsWarnings() throws Exception {
        byte[] whole = riff(fmt(PCM, 1, 16000, 16), null, data(noise16(32_000, 6)), false);
        // A data chunk longer than the file: FFmpeg's to read (and to warn about) as before.
        assertSameAsFfmpeg(write("cut.wav", java.util.Arrays.copyOf(whole, whole.length / 2)), false);
        byte[] streamed = whole.clone();
        ByteBuffer.wrap(streamed).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1); // data size unknown
        assertSameAsFfmpeg(write("streamed.wav", streamed), false);
    }

    @Test
    void memoryStaysOneBlockWhateverTheLength() throws Exception {
        Path f = write("long.wav", riff(fmt(PCM, 1, 16000, 16), null, data(noise16(16000 * 60, 7)), false));
        try (AudioDecoder d = AudioDecoder.open(f)) {
            assertFalse(d.usesFfmpeg());
            assertTrue(d.bufferCapacity() <= 16_384, "capacity " + d.bufferCapacity());
            assertEquals(60.0, d.durationSeconds(), 1e-9);
            assertEquals(16000 * 60, Signals.decodeAll(d).length);
        }
    }

    private static void assertSameAsFfmpeg(Path file, boolean plain) {
        float[] ours;
        String description;
        double duration;
        try (AudioDecoder d = AudioDecoder.open(file)) {
            assertEquals(!plain, d.usesFfmpeg(), file + (plain ? " should be read without FFmpeg" : " needs FFmpeg"));
            description = d.description();
            duration = d.durationSeconds();
            ours = Signals.decodeAll(d);
        }
        try (AudioDecoder d = AudioDecoder.openWithFfmpeg(file, file.toString())) {
            assertEquals(d.description(), description, file.toString());
            assertEquals(d.durationSeconds(), duration, 1e-3, file.toString());
            float[] theirs = Signals.decodeAll(d);
            assertEquals(theirs.length, ours.length, file + ": sample count");
            int[] a = new int[ours.length];
            int[] b = new int[theirs.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = Float.floatToRawIntBits(ours[i]);
                b[i] = Float.floatToRawIntBits(theirs[i]);
            }
            assertArrayEquals(b, a, file + ": samples differ from FFmpeg's");
        }
    }

    private static short[] noise16(int n, long seed) {
        Random r = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = (short) r.nextInt(65536);
        return s;
    }

    private static byte[] data(short[] s) {
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) b.putShort(v);
        return b.array();
    }

    private static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag).putShort((short) channels)
                .putInt(rate).putInt(rate * align).putShort((short) align).putShort((short) bits).array();
    }

    private static byte[] extensible(int subTag, int rate, int bits) {
        int align = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort((short) EXTENSIBLE)
                .putShort((short) 1).putInt(rate).putInt(rate * align).putShort((short) align).putShort((short) bits)
                .putShort((short) 22).putShort((short) bits).putInt(4); // cbSize, valid bits, channel mask (centre)
        b.putShort((short) subTag).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
                (byte) 0x9B, 0x71});
        return b.array();
    }

    private static byte[] chunk(String id, byte[] body) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array());
        o.writeBytes(body);
        if ((body.length & 1) == 1) o.write(0);
        return o.toByteArray();
    }

    private static byte[] riff(byte[] fmt, byte[] before, byte[] data, boolean trailer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(chunk("fmt ", fmt));
        if (before != null) body.writeBytes(before);
        body.writeBytes(chunk("data", data));
        if (trailer) body.writeBytes(chunk("id3 ", new byte[] {1, 2, 3, 4}));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        o.writeBytes(body.toByteArray());
        return o.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
