package dev.sotto.audio;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sotto.audio.TestMedia.Spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encode-then-decode: each container and codec the bundled FFmpeg can write, at several
 * rates and channel counts, comes back as 16 kHz mono with the right length, pitch and level.
 */
class AudioDecoderFormatsTest {
    private static final double SECONDS = 3.0;
    private static final double FREQ = 440.0;
    private static final int EXPECTED = (int) (SECONDS * AudioDecoder.SAMPLE_RATE);
    private static final double TONE_RMS = TestMedia.AMPLITUDE / Math.sqrt(2);
    private static final int EXACT = 2; // samples: lossless codecs
    // Lossy codecs pad the last frame and may keep encoder delay: up to one AAC frame at
    // 8 kHz (1024 samples = 128 ms) or LAME's delay in Matroska, which has no gapless info.
    private static final int LOSSY = 2400;

    @TempDir
    Path dir;

    static Stream<Arguments> formats() {
        return Stream.of(
                // file name, what to write, codec named in description(), allowed length error
                Arguments.of("pcm.wav", Spec.audio("wav", "pcm_s16le", 44100, 2), "pcm_s16le", EXACT),
                Arguments.of("pcm-8k.wav", Spec.audio("wav", "pcm_s16le", 8000, 1), "pcm_s16le", EXACT),
                Arguments.of("tone.flac", Spec.audio("flac", "flac", 48000, 1), "flac", EXACT),
                Arguments.of("tone-96k.flac", Spec.audio("flac", "flac", 96000, 2), "flac", EXACT),
                Arguments.of("tone.mp3", Spec.audio("mp3", "libmp3lame", 44100, 2), "mp3", LOSSY),
                Arguments.of("tone-22k.mp3", Spec.audio("mp3", "libmp3lame", 22050, 1), "mp3", LOSSY),
                Arguments.of("tone.opus", Spec.audio("ogg", "libopus", 48000, 2), "opus", LOSSY),
                Arguments.of("tone-8k.opus", Spec.audio("ogg", "libopus", 8000, 1), "opus", LOSSY),
                Arguments.of("tone.ogg", Spec.audio("ogg", "vorbis", 44100, 2), "vorbis", LOSSY),
                Arguments.of("tone.m4a", Spec.audio("mp4", "aac", 44100, 2), "aac", LOSSY),
                Arguments.of("tone-8k.m4a", Spec.audio("mp4", "aac", 8000, 1), "aac", LOSSY),
                Arguments.of("tone.webm", Spec.audio("webm", "libopus", 48000, 2), "opus", LOSSY),
                Arguments.of("video.mp4", Spec.video("mp4", "mpeg4", "aac", 48000, 2), "aac", LOSSY),
                Arguments.of("video.mkv", Spec.video("matroska", "mpeg4", "libmp3lame", 22050, 1), "mp3", LOSSY),
                Arguments.of("video.mov", Spec.video("mov", "mpeg4", "pcm_s16le", 32000, 2), "pcm_s16le", EXACT),
                Arguments.of("video.webm", Spec.video("webm", "libvpx", "libopus", 48000, 1), "opus", LOSSY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void decodesToneBackAt16kMono(String fileName, Spec spec, String codec, int tolerance) throws Exception {
        Path file = TestMedia.write(dir.resolve(fileName), spec, SECONDS, FREQ);
        try (AudioDecoder d = AudioDecoder.open(file.toString())) {
            // Opus always decodes at 48 kHz, whatever rate it was encoded from.
            int rate = codec.equals("opus") ? 48000 : spec.rate();
            assertTrue(d.description().startsWith(codec + ", " + rate + " Hz, " + spec.channels() + " channel"),
                    d.description());
            assertEquals(SECONDS, d.durationSeconds(), 0.1, "declared duration");
            float[] x = Signals.decodeAll(d);
            assertEquals(EXPECTED, x.length, tolerance, "sample count");
            assertTone(x, fileName);
            assertEquals(java.util.List.of(), d.warnings(), "a clean file gives no warnings");
            assertEquals(-1, d.read(new float[10], 0, 10), "stays at the end");
        }
    }

    /** Both channels carry the tone: the mono mix must keep its level (an average, not a sum). */
    private static void assertTone(float[] x, String what) {
        int mid = x.length / 2 - 8192;
        assertEquals(FREQ, Signals.dominantFrequency(x, mid, 16384, 16000), 1.0, what + ": frequency");
        // LAME's output is 5 % quieter than its input, hence the margin.
        assertEquals(TONE_RMS, Signals.rms(x, mid, 16000), 0.07 * TONE_RMS, what + ": level");
    }

    @Test
    void averagesChannelsWhenDownmixing() throws Exception {
        // Tone on the left only: the mono mix has half its amplitude.
        Path file = TestMedia.write(dir.resolve("left.wav"), Spec.audio("wav", "pcm_s16le", 48000, 2), 1.0, FREQ, 1, 0);
        try (AudioDecoder d = AudioDecoder.open(file)) {
            float[] x = Signals.decodeAll(d);
            assertEquals(TestMedia.AMPLITUDE / 2, Signals.amplitudeAt(x, 2000, 8000, FREQ, 16000), 0.005);
        }
    }

    @Test
    void downmixesSixChannels() throws Exception {
        Path file = TestMedia.write(dir.resolve("surround.flac"), Spec.audio("flac", "flac", 48000, 6), 1.0, FREQ);
        try (AudioDecoder d = AudioDecoder.open(file)) {
            assertTrue(d.description().contains("6 channels"), d.description());
            float[] x = Signals.decodeAll(d);
            assertEquals(16000, x.length, EXACT);
            assertEquals(FREQ, Signals.dominantFrequency(x, 4000, 8192, 16000), 2.0);
            double level = Signals.rms(x, 2000, 8000);
            assertTrue(level > 0.1 && level <= TONE_RMS + 0.01, "a normalised mix, not a sum: rms " + level);
        }
    }

    @Test
    void writesAndReadsFloatAndPcmWav() {
        float[] tone = Signals.tone(FREQ, 0.5, 8000, 8000);
        for (WavWriter.Encoding e : WavWriter.Encoding.values()) {
            Path file = dir.resolve("writer-" + e + ".wav");
            WavWriter.write(file, tone, 0, tone.length, 8000, e);
            try (AudioDecoder d = AudioDecoder.open(file)) {
                assertTrue(d.description().startsWith(e == WavWriter.Encoding.PCM_16 ? "pcm_s16le" : "pcm_f32le"));
                float[] x = Signals.decodeAll(d);
                assertEquals(16000, x.length);
                assertEquals(0.5, Signals.amplitudeAt(x, 2000, 12000, FREQ, 16000), 0.002);
            }
        }
    }

    @Test
    void oddFileNamesAreFilesNotProtocols() {
        float[] tone = Signals.tone(FREQ, 0.5, 16000, 8000);
        for (String name : new String[] {"my talk (1) – ü.wav", "rtp:not-a-url.wav", "100% #1?.wav"}) {
            Path file = dir.resolve(name);
            WavWriter.write(file, tone, 16000);
            try (AudioDecoder d = AudioDecoder.open(file.toString())) {
                assertEquals(8000, Signals.decodeAll(d).length, name);
            }
        }
    }

    @Test
    void alreadyAt16kMonoPassesThroughUnchanged() {
        float[] tone = Signals.tone(FREQ, 0.5, 16000, 16000);
        Path file = dir.resolve("exact.wav");
        WavWriter.write(file, tone, 0, tone.length, 16000, WavWriter.Encoding.FLOAT_32);
        try (AudioDecoder d = AudioDecoder.open(file)) {
            float[] x = Signals.decodeAll(d);
            assertEquals(tone.length, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(tone[i], x[i], 1e-6f, "sample " + i);
            }
        }
    }

    // Standard input: open(InputStream, "-") reads a non-seekable stream.

    static Stream<Arguments> streamable() {
        return Stream.of(
                Arguments.of("pcm.wav", Spec.audio("wav", "pcm_s16le", 44100, 2)),
                Arguments.of("tone.mp3", Spec.audio("mp3", "libmp3lame", 44100, 2)),
                Arguments.of("tone.flac", Spec.audio("flac", "flac", 22050, 1)),
                Arguments.of("tone.opus", Spec.audio("ogg", "libopus", 48000, 1)),
                Arguments.of("tone.webm", Spec.audio("webm", "libopus", 48000, 2)),
                Arguments.of("faststart.m4a", Spec.audio("mp4", "aac", 44100, 2).with(Map.of("movflags", "+faststart"))),
                Arguments.of("video.mkv", Spec.video("matroska", "mpeg4", "libmp3lame", 44100, 2)));
    }

    @ParameterizedTest(name = "stdin {0}")
    @MethodSource("streamable")
    void decodesStandardInput(String fileName, Spec spec) throws Exception {
        Path file = TestMedia.write(dir.resolve(fileName), spec, SECONDS, FREQ);
        try (InputStream in = new NonSeekable(Files.readAllBytes(file));
             AudioDecoder d = AudioDecoder.open(in, "-")) {
            assertEquals("standard input", d.name());
            assertTrue(Double.isNaN(d.durationSeconds()), "no length for streams");
            float[] x = Signals.decodeAll(d);
            assertEquals(EXPECTED, x.length, LOSSY);
            assertTone(x, fileName);
            assertEquals(java.util.List.of(), d.warnings());
        }
    }

    @Test
    void dashReadsSystemInWithoutClosingIt() throws Exception {
        Path file = TestMedia.write(dir.resolve("piped.mp3"), Spec.audio("mp3", "libmp3lame", 44100, 1), SECONDS, FREQ);
        InputStream saved = System.in;
        boolean[] closed = {false};
        InputStream stdin = new NonSeekable(Files.readAllBytes(file)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        System.setIn(stdin);
        try (AudioDecoder d = AudioDecoder.open("-")) {
            assertEquals("standard input", d.name());
            assertTone(Signals.decodeAll(d), "stdin");
        } finally {
            System.setIn(saved);
        }
        assertEquals(false, closed[0], "System.in stays open for the rest of the program");
    }

    /** Hands out a few hundred bytes at a time, like a pipe, and cannot seek. */
    static class NonSeekable extends ByteArrayInputStream {
        NonSeekable(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 700));
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
