package dev.sotto.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.Runtime;
import dev.sotto.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Silero VAD v5 and v6 (../shared/models/silero-vad) on real recordings. */
class SileroVadTest {
    static final Runtime RUNTIME = Runtime.create(Device.CPU, 1);

    static Path model(String version) {
        return TestData.shared().resolve("models/silero-vad/silero_vad_" + version + ".onnx");
    }

    /** Runs VAD + detector over a file fed in uneven blocks, as a stream would arrive. */
    static List<SpeechSegment> segments(String version, Path wav, VadOptions options) throws Exception {
        float[] audio = TestData.readWav(wav).samples();
        try (SileroVad vad = SileroVad.open(RUNTIME, model(version))) {
            SileroVad.Stream stream = vad.newStream();
            SpeechDetector detector = new SpeechDetector(options);
            List<SpeechSegment> out = new ArrayList<>();
            int[] blocks = {1000, 333, 4096, 7};
            for (int pos = 0, b = 0; pos < audio.length; b++) {
                int n = Math.min(blocks[b % blocks.length], audio.length - pos);
                detector.accept(stream.accept(audio, pos, n));
                out.addAll(detector.poll());
                pos += n;
            }
            detector.accept(stream.finish());
            detector.finish(audio.length);
            out.addAll(detector.poll());
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v5", "v6"})
    void silenceHasNoSpeech(String version) throws Exception {
        assertEquals(List.of(), segments(version, TestData.shared().resolve("audio/special/silence.wav"), VadOptions.fasterWhisper()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v5", "v6"})
    void jfkIsOneSpeechSegmentCoveringTheTalk(String version) throws Exception {
        List<SpeechSegment> s = segments(version, TestData.shared().resolve("audio/en/jfk.wav"), VadOptions.fasterWhisper());
        assertEquals(1, s.size(), s.toString());
        // "And so my fellow Americans ... for your country." runs from about 0.3 s to 10.6 s of 11 s.
        assertTrue(s.get(0).startSeconds() < 0.5, s.toString());
        assertTrue(s.get(0).endSeconds() > 10.4, s.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v5", "v6"})
    void shortSilencesSplitJfkWithSileroDefaults(String version) throws Exception {
        // Silero's own defaults (100 ms silence, 30 ms pad) split the sentence at its pauses.
        VadOptions silero = new VadOptions(0.5, 0.35, 250, 100, 30, Double.POSITIVE_INFINITY);
        List<SpeechSegment> s = segments(version, TestData.shared().resolve("audio/en/jfk.wav"), silero);
        assertTrue(s.size() >= 3, s.toString());
        for (int i = 1; i < s.size(); i++) assertTrue(s.get(i).start() >= s.get(i - 1).end(), s.toString());
    }

    @Test
    void v5AndV6FindAboutTheSameAmountOfSpeech() throws Exception {
        Path jfk = TestData.shared().resolve("audio/en/jfk.wav");
        VadOptions silero = new VadOptions(0.5, 0.35, 250, 100, 30, Double.POSITIVE_INFINITY);
        long v5 = segments("v5", jfk, silero).stream().mapToLong(SpeechSegment::length).sum();
        long v6 = segments("v6", jfk, silero).stream().mapToLong(SpeechSegment::length).sum();
        assertTrue(Math.abs(v5 - v6) < 0.15 * v5, v5 + " vs " + v6 + " samples of speech");
    }

    @Test
    void notAVadModelIsAClearError() {
        Path zipformer = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m/joiner.onnx");
        SottoException e = assertThrows(SottoException.class, () -> SileroVad.open(RUNTIME, zipformer));
        assertTrue(e.getMessage().contains("not a Silero VAD model"), e.getMessage());
    }

    @Test
    void maxSpeechDurationSplitsLongSpeech() {
        // 40 s of continuous "speech" with one 0.5 s dip at 12 s: split there, then at the cap.
        SpeechDetector d = new SpeechDetector(new VadOptions(0.5, 0.35, 0, 2000, 400, 30));
        int frames = 40 * 16000 / 512;
        float[] p = new float[frames];
        for (int i = 0; i < frames; i++) p[i] = (i >= 375 && i < 391) ? 0.1f : 0.9f;
        d.accept(p);
        d.finish(frames * 512L);
        List<SpeechSegment> s = d.poll();
        assertEquals(2, s.size(), s.toString());
        // The 8192-sample gap is shorter than two pads, so the neighbours share it half and half.
        assertEquals(375 * 512 + 8192 / 2, s.get(0).end());
        assertEquals(391 * 512 - 8192 / 2, s.get(1).start());
        assertTrue(s.get(1).length() <= 30 * 16000, s.toString());
    }
}
