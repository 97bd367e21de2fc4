package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.testing.ParakeetSpeech;
import org.junit.jupiter.api.Test;

/**
 * An offline model attends to its whole input, but a long stream is cut into pieces as it
 * arrives and each piece is dropped once decoded: memory stays flat over twenty minutes.
 */
class OfflineMemoryTest {
    @Test
    void heapStaysFlatOverTwentyMinutes() {
        ParakeetSpeech clip = ParakeetSpeech.named("en-vad");
        float[] samples = clip.samples();
        DecodingConfig vad = OfflineLongInputTest.withVad("v5").toBuilder().batchSize(2).build();
        try (Recognizer r = OfflineNemoTest.recognizer("parakeet-tdt-v2", vad); RecognitionStream s = r.createStream()) {
            long afterFiveMinutes = 0;
            double seconds = 0;
            int repeats = 0;
            while (seconds < 20 * 60) {
                for (int pos = 0; pos < samples.length; pos += 8000) {
                    s.acceptWaveform(samples, pos, Math.min(8000, samples.length - pos));
                    while (r.isReady(s)) r.decode(s);
                }
                seconds += samples.length / 16000.0;
                repeats++;
                if (afterFiveMinutes == 0 && seconds >= 5 * 60) afterFiveMinutes = LongStreamMemoryTest.usedHeap();
            }
            long afterTwenty = LongStreamMemoryTest.usedHeap();
            s.inputFinished();
            while (r.isReady(s)) r.decode(s);
            long grown = afterTwenty - afterFiveMinutes;
            assertTrue(grown < 8 << 20, "heap grew by " + (grown >> 10) + " KiB over 15 minutes of audio");
            assertEquals(clip.expected("tdt").tokens().size() * repeats, r.getResult(s).tokens().size());
        }
    }
}
