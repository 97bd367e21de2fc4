package dev.sotto.whisper;

import static dev.sotto.whisper.WhisperTesting.audio;
import static dev.sotto.whisper.WhisperTesting.model;
import static dev.sotto.whisper.WhisperTesting.transcribe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.engine.Result;
import dev.sotto.engine.Word;
import dev.sotto.engine.WordTiming;
import dev.sotto.testing.WordChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whisper word times: by cross-attention alignment where the export outputs the weights
 * (the synthetic {@code hf-tiny-timestamped}, whose alignment heads attend from decoder
 * position p to frames [8p, 8p + 8) and whose other heads attend 37 frames later: see
 * models/synth_whisper.py), else spread by characters.
 */
class WhisperWordTimesTest {
    private static DecodingConfig greedy() {
        return DecodingConfig.builder().beamSize(1).language("en").build();
    }

    /**
     * " we talked about cube." over [0, 1.52]: the decoder reads sot, en, transcribe,
     * notimestamps (position 3), then the text; text token k is predicted at position 3 + k,
     * whose box starts at frame 8 (3 + k), 0.16 (3 + k) s (the first at the segment's start).
     */
    @Test
    void crossAttentionGivesExactWordTimes() {
        Result r = transcribe(model("hf-tiny-timestamped"), audio(80, "prompt"), greedy());
        assertEquals("we talked about cube.", r.text());
        assertEquals(WordTiming.Method.CROSS_ATTENTION, r.timing().method());
        List<Word> words = WordChecks.assertInvariants(r, 2.38);
        assertEquals(List.of(new Word("we", 0.0, 0.64), new Word("talked", 0.64, 0.80), new Word("about", 0.80, 0.96),
                new Word("cube.", 0.96, 1.28)), rounded(words));
    }

    @Test
    void withoutCrossAttentionWordsAreSpreadByCharacters() {
        Result r = transcribe(model("hf-tiny"), audio(80, "prompt"), greedy());
        assertEquals("we talked about cube.", r.text());
        assertEquals(WordTiming.Method.CHARACTERS, r.timing().method());
        List<Word> words = WordChecks.assertInvariants(r, 2.38);
        // 1.52 s over " we talked about cube." (22 characters): each word starts at its first character
        double perChar = 1.52 / 22;
        assertEquals(List.of(new Word("we", 0.0, round(3 * perChar)), new Word("talked", round(3 * perChar),
                round(10 * perChar)), new Word("about", round(10 * perChar), round(16 * perChar)),
                new Word("cube.", round(16 * perChar), 1.52)), rounded(words));
    }

    @Test
    void longFormWordsKeepTheInvariants() {
        Result r = transcribe(model("hf-tiny-timestamped"), audio(80, "long"), greedy());
        assertEquals(WordTiming.Method.CROSS_ATTENTION, r.timing().method());
        WordChecks.assertInvariants(r, 121.16);
    }

    /** The steps on a hand-made matrix: a box per row; DTW jumps at each box's first frame. */
    @Test
    void alignmentStepsOnAKnownMatrix() {
        int tokens = 6;
        int frames = 60;
        float[][][] weights = new float[1][tokens][frames];
        for (int t = 0; t < tokens; t++) {
            for (int f = 0; f < frames; f++) weights[0][t][f] = f >= 10 * t && f < 10 * t + 10 ? 1f : 0.01f;
        }
        // rows 1..4 (first row 1, the last row left out as openai leaves out <|endoftext|>)
        assertArrayEquals(new double[] {0.0, 0.4, 0.6, 0.8}, CrossAttentionAlignment.rowStarts(weights, 1, frames), 1e-9);
        assertArrayEquals(new double[] {1, 1, 1, 5, 5, 5, 5}, CrossAttentionAlignment.medianFilter(
                new double[] {1, 1, 1, 5, 5, 5, 5}, 7), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, CrossAttentionAlignment.medianFilter(
                new double[] {1, 1, 9, 1, 1}, 7), 0);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<Word> rounded(List<Word> words) {
        return words.stream().map(w -> new Word(w.text(), round(w.start()), round(w.end()))).toList();
    }
}
