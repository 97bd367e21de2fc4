package dev.sotto.diarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.eval.DiarizationErrorRate;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline with the built-in embedding on real recordings in ../shared, scored
 * with the DER (collar 0.25 s). Bounds are the measured values plus a margin for numeric
 * drift, and say why they are what they are (README, "Diarization and audio events").
 */
class DiarizerSharedAudioTest {
    static final Path VAD = TestData.shared().resolve("models/silero-vad/silero_vad_v5.onnx");
    static final Path THREE = TestData.shared().resolve("audio/special/three-speakers.wav");
    static final Path STEREO = TestData.shared().resolve("audio/special/stereo-two-speakers.wav");
    static Diarizer auto;
    static Diarizer three;

    @BeforeAll
    static void open() {
        auto = Diarizer.open(DiarizationConfig.builder().vadModel(VAD).build());
        three = Diarizer.open(DiarizationConfig.builder().vadModel(VAD).numSpeakers(3).build());
    }

    @AfterAll
    static void close() {
        auto.close();
        three.close();
    }

    static float[] mono(Path wav) throws Exception {
        return TestData.readWav(wav).samples();
    }

    @Test
    void threeSpeakersWithTheCountGivenAreFoundAlmostExactly() throws Exception {
        Diarization d = three.diarize(mono(THREE));
        assertEquals(3, d.speakers());
        var score = DiarizationErrorRate.score(DiarizationErrorRate.readRttm(TestData.resource("diarization/three-speakers.rttm")),
                d.turns(), 0.25);
        // Measured 0.3% (0.04 s missed at the first onset); the turns are 1.5-6.5 s long, so one
        // misplaced window would cost about 6%.
        assertTrue(score.der() < 0.03, score.toString());
    }

    @Test
    void threeSpeakersWithTheCountEstimated() throws Exception {
        Diarization d = auto.diarize(mono(THREE));
        var score = DiarizationErrorRate.score(DiarizationErrorRate.readRttm(TestData.resource("diarization/three-speakers.rttm")),
                d.turns(), 0.25);
        // Measured 37.0%: the estimate merges two of the three voices (2 speakers), the price of
        // a threshold that keeps one-speaker files one speaker (next test). Above 40% would mean
        // the turns themselves moved, not just the count.
        assertTrue(d.speakers() >= 2 && d.speakers() <= 3, "speakers: " + d.speakers());
        assertTrue(score.der() < 0.40, score.toString());
    }

    @Test
    void oneSpeakerStaysOneSpeaker() throws Exception {
        for (String f : List.of("audio/en/jfk.wav", "audio/en/leopard-test-en.wav")) {
            Diarization d = auto.diarize(mono(TestData.shared().resolve(f)));
            assertEquals(1, d.speakers(), f + ": " + d.turns());
        }
    }

    @Test
    void stereoTwoSpeakersMixedToMonoAgainstTheirChannels() throws Exception {
        TestData.Audio mixed = TestData.readWav(STEREO);   // channels averaged: the mono mix
        float[][] channels = TestData.readWavChannels(STEREO);
        var reference = DiarizationErrorRate.fromChannels(channels, 16000);
        var score = DiarizationErrorRate.score(reference, auto.diarize(mixed.samples()).turns(), 0.25);
        // Measured 42.4%, of which 35% (1.5 s of 4.25 s) is the second voice talking over the first
        // for 2 s: one speaker at a time cannot score it. The rest is 0.3 s of false alarm at the end.
        assertTrue(score.der() < 0.45, score.toString());
        assertTrue(score.confusion() < 0.3, score.toString());
    }
}
