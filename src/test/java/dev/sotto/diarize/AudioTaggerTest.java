package dev.sotto.diarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.runtime.Device;
import dev.sotto.runtime.Runtime;
import dev.sotto.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic taggers of models/synth_tagging.py in sherpa-onnx's Zipformer and CED layouts: a
 * class fires on a window when its tone sounds in more than half of it. tones.wav holds a 1 kHz
 * tone over [2, 5) s (Music), 3 kHz over [7, 9) s (Applause) and 300 Hz over [10, 12) s (Speech).
 */
class AudioTaggerTest {
    static final Runtime CPU = Runtime.create(Device.CPU, 1);
    static final Path ROOT = TestData.testModels().resolve("tagging");
    static final Path ZIPFORMER = ROOT.resolve("zipformer-audio-tagging");
    static final Path CED = ROOT.resolve("ced-audio-tagging");
    static final List<AudioEvent> EXPECTED = List.of(new AudioEvent("(music)", 2, 5), new AudioEvent("(applause)", 7, 9));

    static float[] tones() throws java.io.IOException {
        return TestData.readWav(ROOT.resolve("tones.wav")).samples();
    }

    @Test
    void bothLayoutsFindTheToneBurstsAndDropSpeech() throws Exception {
        float[] audio = tones();
        for (Path dir : List.of(ZIPFORMER, CED)) {
            try (AudioTagger tagger = AudioTagger.open(dir, AudioTagger.DEFAULT_THRESHOLD, CPU)) {
                assertEquals(EXPECTED, tagger.events(audio), tagger.name());
                // The 300 Hz burst is tagged Speech, which is no event: the window centred on it scores it high.
                float[] p = tagger.probabilities(audio, 10 * 16000, 12 * 16000);
                assertTrue(p[0] > 0.9 && p[4] < 0.1, tagger.name() + ": speech " + p[0] + ", music " + p[4]);
            }
        }
    }

    @Test
    void samplesFedInPiecesGiveTheSameEvents() throws Exception {
        float[] audio = tones();
        try (AudioTagger tagger = AudioTagger.open(CED, 0.5, CPU)) {
            AudioTagger.Session s = tagger.session();
            for (int from = 0; from < audio.length; from += 7919) s.accept(audio, from, Math.min(7919, audio.length - from));
            assertEquals(EXPECTED, s.finish());
        }
    }

    @Test
    void labelsReadAsSherpaOnnxReadsThem() {
        List<AudioTagger.Label> labels = AudioTagger.readLabels(ZIPFORMER.resolve(AudioTagger.LABELS));
        assertEquals(new AudioTagger.Label(1, "/m/05zppz", "Male speech, man speaking"), labels.get(1));
        assertEquals("(music)", labels.get(4).eventText());
        assertEquals("(male speech)", labels.get(1).eventText());
    }

    @Test
    void badModelDirectoriesSayWhatIsWrong(@TempDir Path tmp) throws Exception {
        Path noCsv = Files.createDirectories(tmp.resolve("no-csv"));
        Files.copy(ZIPFORMER.resolve("model.onnx"), noCsv.resolve("model.onnx"));
        SottoException e = assertThrows(SottoException.class, () -> AudioTagger.open(noCsv, 0.5, CPU));
        assertTrue(e.getMessage().contains("class_labels_indices.csv: missing"), e.getMessage());

        Path speaker = Files.createDirectories(tmp.resolve("speaker"));
        Files.copy(TestData.testModels().resolve("speaker/3dspeaker-campplus/model.onnx"), speaker.resolve("model.onnx"));
        Files.copy(ZIPFORMER.resolve(AudioTagger.LABELS), speaker.resolve(AudioTagger.LABELS));
        e = assertThrows(SottoException.class, () -> AudioTagger.open(speaker, 0.5, CPU));
        assertTrue(e.getMessage().contains("not an audio-tagging model") && e.getMessage().contains("x_lens"), e.getMessage());

        Path fewer = Files.createDirectories(tmp.resolve("fewer"));
        Files.copy(CED.resolve("model.onnx"), fewer.resolve("model.onnx"));
        Files.writeString(fewer.resolve(AudioTagger.LABELS), "index,mid,display_name\n0,/m/09x0r,\"Speech\"\n");
        e = assertThrows(SottoException.class, () -> AudioTagger.open(fewer, 0.5, CPU));
        assertTrue(e.getMessage().contains("scores 5 classes but class_labels_indices.csv names 1"), e.getMessage());

        Files.writeString(fewer.resolve(AudioTagger.LABELS), "index,mid,display_name\n0,/m/09x0r,Speech\n");
        e = assertThrows(SottoException.class, () -> AudioTagger.open(fewer, 0.5, CPU));
        assertTrue(e.getMessage().contains("line 2 is not index,mid,\"display name\""), e.getMessage());

        e = assertThrows(SottoException.class, () -> AudioTagger.open(tmp.resolve("absent"), 0.5, CPU));
        assertTrue(e.getMessage().contains("no such audio-tagging model directory"), e.getMessage());
        e = assertThrows(SottoException.class, () -> AudioTagger.open(ZIPFORMER, 1.5, CPU));
        assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
    }
}
