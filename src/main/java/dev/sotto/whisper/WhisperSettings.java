package dev.sotto.whisper;

import java.util.List;

/**
 * The knobs of Whisper decoding, with openai/whisper's defaults (transcribe.py and
 * decoding.py): beam 5 at temperature 0, best of 5 when sampling, the temperature ladder
 * 0, 0.2 ... 1.0, the fallback and no-speech thresholds, conditioning on previous text,
 * timestamps on, the first timestamp no later than 1 s.
 */
record WhisperSettings(int beamSize, int bestOf, double patience, Double lengthPenalty, List<Double> temperatures,
                       double compressionRatioThreshold, double logprobThreshold, double noSpeechThreshold,
                       boolean conditionOnPreviousText, boolean withoutTimestamps, double maxInitialTimestamp,
                       int vadBatchSize, long seed) {

    static WhisperSettings defaults(int beamSize) {
        return new WhisperSettings(beamSize == 0 ? 5 : beamSize, 5, 1.0, null, List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
                2.4, -1.0, 0.6, true, false, 1.0, 8, 0L);
    }
}
