package dev.sotto.zipformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sotto.engine.Result;
import dev.sotto.recognizer.Recognizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Modified beam search on the 0.5 s of silence the engine puts before the audio (the left
 * padding sherpa-onnx's decoder adds, which reproduces its greedy output): with the start
 * context the model is less sure of blank there than after a word, so unchecked the beam
 * "hears" a cheap word in the padding -- " BUT" 0.1 s before LJ001-0005 and LJ001-0007
 * begin, reported at 0.00 s -- or aligns a real first word there (LJ001-0006's " AND",
 * spoken at 0.30 s). The search emits nothing on the padding, so the beam's first word is
 * greedy search's, at greedy search's time.
 */
class ZipformerLeadingSilenceTest {
    @Test
    void beamSearchStartsWhereGreedySearchStarts() {
        try (Recognizer greedy = SharedZipformer.recognizer(1); Recognizer beam = SharedZipformer.recognizer(4)) {
            for (String clip : List.of("LJ001-0005", "LJ001-0006", "LJ001-0007")) {
                float[] audio = SharedZipformer.audio("en/ljspeech/" + clip + ".wav");
                Result g = SharedZipformer.transcribe(greedy, audio, 16000);
                Result b = SharedZipformer.transcribe(beam, audio, 16000);
                assertEquals(g.tokens().get(0), b.tokens().get(0), clip);
                assertEquals(g.text().split(" ")[0], b.text().split(" ")[0], clip);
            }
        }
    }
}
