package dev.sotto.audio;

import java.io.InputStream;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An hour of audio streams through in bounded memory: nothing accumulates. */
class AudioDecoderMemoryTest {
    private static final int RATE = 8000;
    private static final long SECONDS = 3600;
    private static final double FREQ = 500; // 16 samples per period at 8 kHz

    @Test
    void decodesAnHourFromAStreamWithoutGrowing() {
        InputStream hour = new LazyWav(RATE, RATE * SECONDS);
        Runtime rt = Runtime.getRuntime();
        long heapAtStart = -1;
        long nativeAtStart = -1;
        long maxHeapGrowth = 0;
        long maxNativeGrowth = 0;
        long samples = 0;
        float[] buf = new float[AudioDecoder.SAMPLE_RATE]; // a second at a time
        float[] lastSecond = null;
        try (AudioDecoder d = AudioDecoder.open(hour, "an hour of tone")) {
            for (int n; (n = d.read(buf, 0, buf.length)) > 0; ) {
                samples += n;
                if (samples % (600L * AudioDecoder.SAMPLE_RATE) == 0) { // every 10 minutes of audio
                    long heap = usedHeapAfterGc(rt);
                    long nativeBytes = Pointer.totalBytes();
                    if (heapAtStart < 0) {
                        heapAtStart = heap;
                        nativeAtStart = nativeBytes;
                    }
                    maxHeapGrowth = Math.max(maxHeapGrowth, heap - heapAtStart);
                    maxNativeGrowth = Math.max(maxNativeGrowth, nativeBytes - nativeAtStart);
                    assertTrue(d.bufferCapacity() <= AudioDecoder.SAMPLE_RATE,
                            "the decoder holds at most a frame: " + d.bufferCapacity() + " samples");
                }
                if (n == buf.length) {
                    lastSecond = buf.clone();
                }
            }
            assertEquals(java.util.List.of(), d.warnings());
        }
        assertEquals(SECONDS * AudioDecoder.SAMPLE_RATE, samples, 2, "every sample came through");
        assertEquals(FREQ, Signals.dominantFrequency(lastSecond, 0, 8192, AudioDecoder.SAMPLE_RATE), 1.0);
        // A leak of even one float per input sample would be 100+ MB here.
        assertTrue(maxHeapGrowth < 8 << 20, "Java heap grew by " + (maxHeapGrowth >> 10) + " KiB");
        assertTrue(maxNativeGrowth < 1 << 20, "JavaCPP native memory grew by " + (maxNativeGrowth >> 10) + " KiB");
    }

    private static long usedHeapAfterGc(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** A 16-bit mono WAV of a tone, made up as it is read: nothing is stored. */
    static final class LazyWav extends InputStream {
        private final byte[] header;
        private final byte[] period; // one period of the tone, little-endian 16-bit
        private final long total;
        private long pos;

        LazyWav(int rate, long samples) {
            header = WavWriter.header(rate, 1, WavWriter.Encoding.PCM_16, samples * 2);
            int n = (int) Math.round(rate / FREQ);
            java.nio.ByteBuffer p = java.nio.ByteBuffer.allocate(2 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                WavWriter.putSample(p, (float) (0.5 * Math.sin(2 * Math.PI * i / n)), WavWriter.Encoding.PCM_16);
            }
            period = p.array();
            total = header.length + samples * 2;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - pos);
            for (int i = 0; i < n; i++, pos++) {
                b[off + i] = pos < header.length ? header[(int) pos]
                        : period[(int) ((pos - header.length) % period.length)];
            }
            return n;
        }
    }
}
