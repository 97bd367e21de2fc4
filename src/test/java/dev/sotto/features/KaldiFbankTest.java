package dev.sotto.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.TestData;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KaldiFbank against an independent numpy implementation
 * (models/reference/kaldi_fbank_reference.py, outputs in src/test/resources/reference),
 * and streaming against one-shot extraction.
 */
class KaldiFbankTest {
    private static final KaldiFbank.Options OPTIONS = KaldiFbank.Options.sherpaOnnx(80);
    private static final float LOG_FLOOR = (float) Math.log(Math.ulp(1.0f));

    @Test
    void matchesReferenceOnRealSpeech() throws IOException {
        float[] jfk = Arrays.copyOf(jfk(), 3 * 16000);
        assertMatches(reference("fbank-jfk-3s.npy"), oneShot(jfk));
    }

    @Test
    void matchesReferenceOnSyntheticSignal() {
        float[] x = reference("fbank-synthetic-input.npy").data();
        assertMatches(reference("fbank-synthetic.npy"), oneShot(x));
    }

    @Test
    void streamingInOddPiecesEqualsOneShot() throws IOException {
        float[] x = jfk();
        float[] expected = oneShot(x);
        Random random = new Random(7);
        int[] fixed = {1, 7, 159, 161, 399, 401, 1601};
        for (int round = 0; round < fixed.length + 3; round++) {
            KaldiFbank fbank = new KaldiFbank(OPTIONS);
            int at = 0;
            while (at < x.length) {
                int n = round < fixed.length ? fixed[round] : 1 + random.nextInt(3000);
                n = Math.min(n, x.length - at);
                fbank.accept(x, at, n);
                at += n;
            }
            fbank.finish();
            assertArrayEquals(expected, frames(fbank), "pieces of " + (round < fixed.length ? fixed[round] : "random"));
        }
    }

    @Test
    void framesAppearOnceTheirWindowIsCompleteAndTheRestAtFinish() {
        KaldiFbank fbank = new KaldiFbank(OPTIONS);
        // Frame 0 spans samples [-120, 280): complete once 280 samples are in.
        fbank.accept(new float[279], 0, 279);
        assertEquals(0, fbank.framesReady());
        fbank.accept(new float[1], 0, 1);
        assertEquals(1, fbank.framesReady());
        fbank.accept(new float[1000], 0, 1000); // 1280 samples: frames end at 280 + 160 f
        assertEquals(7, fbank.framesReady());
        fbank.finish(); // round(1280 / 160) = 8
        assertEquals(8, fbank.framesReady());
    }

    @Test
    void extendAddsFramesAsIfSilenceFollowed() {
        float[] x = reference("fbank-synthetic-input.npy").data();
        KaldiFbank fbank = new KaldiFbank(OPTIONS);
        fbank.accept(x, 0, x.length);
        fbank.finish();
        int real = fbank.framesReady();
        float[] before = frames(fbank);
        fbank.extend(4);
        assertEquals(real + 4, fbank.framesReady());
        float[] after = frames(fbank);
        assertArrayEquals(before, Arrays.copyOf(after, before.length), "real frames unchanged");
        // The first extra frame still overlaps real samples; the last lies wholly in silence.
        assertTrue(after[real * 80] > LOG_FLOOR);
        for (int b = 0; b < 80; b++) assertEquals(LOG_FLOOR, after[(real + 3) * 80 + b], 1e-6);
    }

    @Test
    void discardedFramesAreForgotten() {
        float[] x = reference("fbank-synthetic-input.npy").data();
        float[] expected = oneShot(x);
        KaldiFbank fbank = new KaldiFbank(OPTIONS);
        fbank.accept(x, 0, 4000);
        fbank.discardBefore(10);
        fbank.accept(x, 4000, x.length - 4000);
        fbank.finish();
        float[] tail = new float[(fbank.framesReady() - 10) * 80];
        fbank.copyFrames(10, fbank.framesReady() - 10, tail, 0);
        assertArrayEquals(Arrays.copyOfRange(expected, 800, expected.length), tail);
    }

    private static float[] jfk() throws IOException {
        return TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav")).samples();
    }

    private static Npy.Array reference(String name) {
        return Npy.read(TestData.resource("reference/" + name));
    }

    private static float[] oneShot(float[] x) {
        KaldiFbank fbank = new KaldiFbank(OPTIONS);
        fbank.accept(x, 0, x.length);
        fbank.finish();
        return frames(fbank);
    }

    private static float[] frames(KaldiFbank fbank) {
        float[] out = new float[fbank.framesReady() * fbank.dim()];
        fbank.copyFrames(0, fbank.framesReady(), out, 0);
        return out;
    }

    private static void assertMatches(Npy.Array reference, float[] actual) {
        assertEquals(reference.data().length, actual.length, "frame count x 80");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - reference.data()[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= 1e-4, "max abs error " + worst + " at frame " + at / 80 + ", bin " + at % 80);
    }
}
