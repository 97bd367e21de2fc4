package dev.sotto.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real recordings in ../shared/audio (read in place, never copied). */
class AudioDecoderSharedFilesTest {
    private static Path audio;

    @BeforeAll
    static void locate() {
        audio = Path.of(System.getProperty("sotto.shared", "../shared")).resolve("audio");
        assumeTrue(Files.isDirectory(audio), "no shared audio at " + audio.toAbsolutePath());
    }

    private static float[] decode(String relative) {
        try (AudioDecoder d = AudioDecoder.open(audio.resolve(relative).toString())) {
            float[] x = Signals.decodeAll(d);
            assertEquals(List.of(), d.warnings(), relative);
            return x;
        }
    }

    @Test
    void jfkInThreeContainersDecodesToTheSameSpeech() {
        float[] wav = decode("en/jfk.wav"); // 16 kHz mono: no conversion
        float[] mp3 = decode("en/jfk.mp3");
        float[] flac = decode("en/jfk.flac"); // 44.1 kHz stereo: downmixed and resampled
        for (float[] x : List.of(wav, mp3, flac)) {
            assertEquals(11.0, x.length / 16000.0, 0.05);
        }
        for (float[] other : List.of(mp3, flac)) {
            double[] best = Signals.bestCorrelation(wav, other, 1600);
            // Measured: 0.99996 for the MP3, 1.00000 for the FLAC, both at lag 0.
            assertTrue(best[0] > 0.999, "correlation " + best[0] + " at lag " + best[1]);
            assertEquals(0, best[1], "no time shift");
        }
    }

    @Test
    void wavAt16kMonoIsReturnedExactly() throws IOException {
        short[][] pcm = readPcm16(audio.resolve("en/jfk.wav"));
        float[] x = decode("en/jfk.wav");
        assertEquals(pcm[0].length, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(pcm[0][i] / 32768f, x[i], 1e-7f, "sample " + i);
        }
    }

    @Test
    void stereoIsAveragedToMono() throws IOException {
        short[][] pcm = readPcm16(audio.resolve("special/stereo-two-speakers.wav"));
        assertEquals(2, pcm.length, "the file is stereo");
        float[] x = decode("special/stereo-two-speakers.wav");
        assertEquals(pcm[0].length, x.length);
        for (int i = 0; i < x.length; i++) {
            float mean = (pcm[0][i] + pcm[1][i]) / 2f / 32768f;
            assertEquals(mean, x[i], 1e-6f, "sample " + i);
        }
    }

    @Test
    void everyFileInTheManifestDecodesCleanly() throws IOException {
        List<String> paths;
        try (Stream<String> lines = Files.lines(audio.resolve("manifest.tsv"))) {
            paths = lines.skip(1).map(l -> l.split("\t")[0]).toList();
        }
        assertTrue(paths.size() > 40);
        for (String p : Stream.concat(paths.stream(), Stream.of("special/silence.wav", "special/three-speakers.wav",
                "special/hotwords.mp3", "multi/multilingual-en-de.mp3")).toList()) {
            try (AudioDecoder d = AudioDecoder.open(audio.resolve(p))) {
                long n = 0;
                float[] buf = new float[8000];
                for (int k; (k = d.read(buf, 0, buf.length)) > 0; ) {
                    n += k;
                }
                assertTrue(n > 8000, p + ": " + n + " samples");
                assertEquals(d.durationSeconds(), n / 16000.0, 0.05, p + " (" + d.description() + ")");
                assertEquals(List.of(), d.warnings(), p);
            }
        }
    }

    /** Channels of a 16-bit PCM WAV, read directly to check the decoder against. */
    private static short[][] readPcm16(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        int channels = 0;
        while (b.remaining() >= 8) {
            String id = new String(new byte[] {b.get(), b.get(), b.get(), b.get()}, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt();
            if (id.equals("fmt ")) {
                int start = b.position();
                assertEquals(1, b.getShort(), "PCM");
                channels = b.getShort();
                b.position(start + 6 + 8);
                assertEquals(16, b.getShort(), "16-bit");
                b.position(start + size);
            } else if (id.equals("data")) {
                int frames = Math.min(size, b.remaining()) / (2 * channels);
                short[][] pcm = new short[channels][frames];
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        pcm[c][i] = b.getShort();
                    }
                }
                return pcm;
            } else {
                b.position(b.position() + size + (size & 1));
            }
        }
        throw new IOException("no data chunk in " + file);
    }
}
