package dev.sotto.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sotto.SottoException;
import dev.sotto.audio.TestMedia.Spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails with a message naming the input, what is wrong and what to do. */
class AudioDecoderErrorsTest {
    @TempDir
    Path dir;

    private static SottoException failsToOpen(String path) {
        SottoException e = assertThrows(SottoException.class, () -> AudioDecoder.open(path).close());
        return e;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    @Test
    void missingFile() {
        String path = dir.resolve("nope.wav").toString();
        assertMentions(failsToOpen(path), "not found", path, "Check the path");
    }

    @Test
    void directory() {
        assertMentions(failsToOpen(dir.toString()), dir.toString(), "is a directory", "Pass one of the files");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.mp3"));
        assertMentions(failsToOpen(file.toString()), file.toString(), "empty (0 bytes)");
    }

    @Test
    void textFile() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "These are not the sounds you are looking for.\n".repeat(20));
        assertMentions(failsToOpen(file.toString()), file.toString(), "not an audio or video file",
                "looks like text", "Use WAV, FLAC, MP3");
    }

    @Test
    void textFileWithAnAudioExtension() throws IOException {
        Path file = Files.writeString(dir.resolve("fake.wav"), "RIFF? no, just text pretending to be audio\n".repeat(50));
        assertMentions(failsToOpen(file.toString()), file.toString(), "not an audio or video file", "FFmpeg:");
    }

    /** FFmpeg's FLAC reader trusts the name and opens text as a stream of 0 Hz and 0 channels. */
    @ParameterizedTest
    @ValueSource(strings = {"x.flac", "x.wav", "x.mp3"})
    void textNamedLikeAudioIsRefused(String fileName) throws IOException {
        Path file = Files.writeString(dir.resolve(fileName), "hello this is text\n".repeat(50));
        assertMentions(failsToOpen(file.toString()), file.toString(), "is not an audio or video file that FFmpeg can read",
                "Use WAV, FLAC, MP3");
    }

    @Test
    void wavWithoutSamplesIsRefused() throws Exception {
        Path file = dir.resolve("no-samples.wav");
        WavWriter.write(file, new float[0], 16000);
        assertEquals(44, Files.size(file), "a header and nothing else");
        for (boolean piped : new boolean[] {false, true}) {
            SottoException e = assertThrows(SottoException.class, () -> {
                try (AudioDecoder d = piped ? AudioDecoder.open(Files.newInputStream(file), "no-samples")
                        : AudioDecoder.open(file)) {
                    Signals.decodeAll(d);
                }
            });
            assertMentions(e, piped ? "no-samples:" : file + ":", "no audio samples could be decoded", "empty");
        }
    }

    @Test
    void oneSampleIsStillAudio() throws Exception {
        Path file = dir.resolve("one-sample.wav");
        WavWriter.write(file, new float[] {0.5f}, 16000);
        try (AudioDecoder d = AudioDecoder.open(file)) {
            assertEquals(1, Signals.decodeAll(d).length);
        }
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[200_000];
        new java.util.Random(7).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.bin"), noise);
        assertMentions(failsToOpen(file.toString()), file.toString(), "not an audio or video file");
    }

    @Test
    void videoWithoutSound() throws Exception {
        Path file = TestMedia.write(dir.resolve("silent-film.mp4"), Spec.video("mp4", "mpeg4", null, 0, 0), 1.0, 0);
        assertMentions(failsToOpen(file.toString()), file.toString(), "has no audio stream", "video (mpeg4)");
    }

    @Test
    void emptyStandardInput() {
        SottoException e = assertThrows(SottoException.class,
                () -> AudioDecoder.open(new ByteArrayInputStream(new byte[0]), "-"));
        assertMentions(e, "standard input", "empty", "Pipe an audio");
    }

    @Test
    void textOnStandardInput() {
        byte[] text = "hello\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        SottoException e = assertThrows(SottoException.class, () -> AudioDecoder.open(new ByteArrayInputStream(text), "-"));
        assertMentions(e, "standard input", "not an audio or video file");
        assertTrue(!e.getMessage().contains("No such file"), e.getMessage());
    }

    @Test
    void mp4WithIndexAtTheEndFromAPipe() throws Exception {
        Path file = TestMedia.write(dir.resolve("late-index.m4a"), Spec.audio("mp4", "aac", 44100, 1), 2.0, 440);
        SottoException e = assertThrows(SottoException.class, () -> {
            try (AudioDecoder d = AudioDecoder.open(new AudioDecoderFormatsTest.NonSeekable(Files.readAllBytes(file)), "-")) {
                Signals.decodeAll(d);
            }
        });
        assertMentions(e, "standard input", "moov atom", "faststart");
    }

    @Test
    void mp4CutInHalf() throws Exception {
        Path file = TestMedia.write(dir.resolve("cut.m4a"), Spec.audio("mp4", "aac", 44100, 2), 4.0, 440);
        Path cut = truncate(file, 0.5);
        assertMentions(failsToOpen(cut.toString()), cut.toString(), "moov atom", "cut short");
    }

    @Test
    void flacCutInHalfDecodesWhatIsThereAndWarns() throws Exception {
        Path file = TestMedia.write(dir.resolve("cut.flac"), Spec.audio("flac", "flac", 44100, 2), 4.0, 440);
        try (AudioDecoder d = AudioDecoder.open(truncate(file, 0.5))) {
            float[] x = Signals.decodeAll(d);
            // Less than half: the first bytes are metadata and padding.
            assertEquals(1.75, x.length / 16000.0, 0.5, "about half decoded");
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("truncated") && w.contains("declares 4.0 s")),
                    d.warnings().toString());
        }
    }

    @Test
    void mp3CutInHalfDecodesWhatIsThereAndWarns() throws Exception {
        Path file = TestMedia.write(dir.resolve("cut.mp3"), Spec.audio("mp3", "libmp3lame", 44100, 2), 4.0, 440);
        try (AudioDecoder d = AudioDecoder.open(truncate(file, 0.5))) {
            float[] x = Signals.decodeAll(d);
            assertEquals(2.0, x.length / 16000.0, 0.3, "about half decoded");
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("truncated")), d.warnings().toString());
        }
    }

    @Test
    void wavCutMidSampleWarns() throws Exception {
        Path file = dir.resolve("cut.wav");
        WavWriter.write(file, Signals.tone(440, 0.5, 16000, 32000), 16000);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 44 + 16001)); // half a second and half a sample
        try (AudioDecoder d = AudioDecoder.open(file)) {
            float[] x = Signals.decodeAll(d);
            assertEquals(8000, x.length, 1);
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("damaged data at 0.5 s")), d.warnings().toString());
        }
    }

    @Test
    void garbageInTheMiddleOfAnMp3DecodesOnAndWarns() throws Exception {
        Path file = TestMedia.write(dir.resolve("damaged.mp3"), Spec.audio("mp3", "libmp3lame", 44100, 2), 4.0, 440);
        byte[] bytes = Files.readAllBytes(file);
        java.util.Random random = new java.util.Random(1);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 3000; i++) {
            bytes[i] = (byte) random.nextInt();
        }
        Files.write(file, bytes);
        try (AudioDecoder d = AudioDecoder.open(file)) {
            float[] x = Signals.decodeAll(d);
            assertEquals(4.0, x.length / 16000.0, 0.3, "decoding goes on past the damage");
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("damaged data at")), d.warnings().toString());
        }
    }

    @Test
    void readErrorInMidStreamNamesThePosition() throws Exception {
        Path file = dir.resolve("long.wav");
        WavWriter.write(file, Signals.tone(440, 0.5, 16000, 5 * 16000), 16000);
        byte[] bytes = Files.readAllBytes(file);
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == 44 + 2 * 16000 * 3) {
                    throw new IOException("Connection reset by peer");
                }
                return bytes[pos++] & 0xff;
            }
        };
        try (AudioDecoder d = AudioDecoder.open(failing, "radio-feed")) {
            float[] buf = new float[4000];
            SottoException e = assertThrows(SottoException.class, () -> {
                while (d.read(buf, 0, buf.length) > 0) {
                    // keep reading until it fails
                }
            });
            assertMentions(e, "Reading radio-feed failed after 3.0 s", "Connection reset by peer");
            assertThrows(SottoException.class, () -> d.read(buf, 0, buf.length), "the failure sticks");
        }
    }

    @Test
    void closedDecoderRefusesToRead() throws Exception {
        Path file = dir.resolve("short.wav");
        WavWriter.write(file, new float[1600], 16000);
        AudioDecoder d = AudioDecoder.open(file);
        d.close();
        d.close(); // twice is fine
        assertThrows(IllegalStateException.class, () -> d.read(new float[10], 0, 10));
    }

    private Path truncate(Path file, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path cut = file.resolveSibling("half-" + file.getFileName());
        Files.write(cut, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return cut;
    }
}
