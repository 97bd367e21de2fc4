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

    /** CED's front end: Hann frames, mel power (exp of the log mode), the tone in the bin around it. */
    @Test
    void cedOptionsGiveMelPowerWithHannFrames() {
        KaldiFbank.Options ced = KaldiFbank.Options.ced();
        KaldiFbank.Options logged = new KaldiFbank.Options(16000, 64, 10, 32, 0, 8000, 0, false, true, true);
        double[] hann = KaldiFrameComputer.hannWindow(512);
        assertEquals(0, hann[0]);
        assertEquals(1, hann[255], 1e-4);
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16000.0));
        float[] power = extract(ced, tone);
        float[] log = extract(logged, tone);
        assertEquals(100 * 64, power.length, "snip_edges=false: one frame per 10 ms");
        for (int i = 0; i < power.length; i++) assertEquals(Math.exp(log[i]), power[i], 1e-4 * power[i] + 1e-6);
        int loudest = 0;
        for (int m = 0; m < 64; m++) if (power[50 * 64 + m] > power[50 * 64 + loudest]) loudest = m;
        // Kaldi mel centres over 0-8000 Hz in 65 steps: 1000 Hz lies between the centres of bins 21 and 22.
        assertTrue(loudest == 21 || loudest == 22, "loudest bin " + loudest);
    }

    private static float[] extract(KaldiFbank.Options options, float[] x) {
        KaldiFbank fbank = new KaldiFbank(options);
        fbank.accept(x, 0, x.length);
        fbank.finish();
        float[] out = new float[fbank.framesReady() * options.bins()];
        fbank.copyFrames(0, fbank.framesReady(), out, 0);
        return out;
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
