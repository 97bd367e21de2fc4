package dev.sotto.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.testing.SyntheticSpeech;
import dev.sotto.testing.TestData;
import org.junit.jupiter.api.Test;

/** An hour-long stream must not keep its audio or features: memory stays flat while decoding goes on. */
class LongStreamMemoryTest {
    static long usedHeap() {
        java.lang.Runtime rt = java.lang.Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void heapStaysFlatOverTwentyMinutes() {
        SyntheticSpeech clip = SyntheticSpeech.nemo("en-long");
        float[] samples = clip.samples();
        try (Recognizer r = NemoStreamingTest.recognizer(TestData.testModels().resolve("nemotron-en"), 560);
             RecognitionStream s = r.createStream()) {
            long afterFiveMinutes = 0;
            double seconds = 0;
            int repeats = 0;
            while (seconds < 20 * 60) {
                for (int pos = 0; pos < samples.length; pos += 3200) {
                    s.acceptWaveform(samples, pos, Math.min(3200, samples.length - pos));
                    while (r.isReady(s)) r.decode(s);
                }
                seconds += samples.length / 16000.0;
                repeats++;
                if (afterFiveMinutes == 0 && seconds >= 5 * 60) afterFiveMinutes = usedHeap();
            }
            long afterTwenty = usedHeap();
            s.inputFinished();
            while (r.isReady(s)) r.decode(s);
            long grown = afterTwenty - afterFiveMinutes;
            assertTrue(grown < 8 << 20, "heap grew by " + (grown >> 10) + " KiB over 15 minutes of audio");
            // and the decoding itself stayed right all along
            assertEquals(clip.tokens().size() * repeats, r.getResult(s).tokens().size());
        }
    }
}
