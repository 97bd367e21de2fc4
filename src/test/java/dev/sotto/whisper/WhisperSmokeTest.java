package dev.sotto.whisper;

import dev.sotto.stream.DecodingConfig;
import org.junit.jupiter.api.Test;

class WhisperSmokeTest {
    @Test
    void smoke() {
        for (String m : new String[] {"sherpa-tiny.en", "sherpa-base-int8", "sherpa-large-v3", "hf-tiny", "hf-large-v3-turbo"}) {
            int mels = m.contains("large") ? 128 : 80;
            for (int beam : new int[] {1, 5}) {
                long t0 = System.nanoTime();
                var r = WhisperTesting.transcribe(WhisperTesting.model(m), WhisperTesting.audio(mels, "two-segments"),
                        DecodingConfig.builder().beamSize(beam).build());
                System.out.println(m + " beam " + beam + " " + (System.nanoTime() - t0) / 1e6 + " ms\n" + WhisperTesting.describe(r));
            }
        }
    }
}
