package dev.sotto.vad;

/**
 * How speech probabilities become speech segments (Silero's {@code get_speech_timestamps}).
 *
 * @param threshold          a frame at or above this probability is speech
 * @param negThreshold       once in speech, a frame below this is silence (Silero: threshold - 0.15)
 * @param minSpeechMs        shorter segments are dropped
 * @param minSilenceMs       silence that must pass before a segment ends
 * @param speechPadMs        padding added on each side of a segment
 * @param maxSpeechSeconds   longer segments are split, at their longest silence if they have one
 */
public record VadOptions(double threshold, double negThreshold, int minSpeechMs, int minSilenceMs, int speechPadMs,
                         double maxSpeechSeconds) {

    /** faster-whisper's batched-pipeline settings: conservative silence removal, 30 s windows. */
    public static VadOptions fasterWhisper() {
        return new VadOptions(0.5, 0.35, 0, 2000, 400, 30.0);
    }

    public VadOptions {
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("VAD threshold must be in (0, 1)");
        if (maxSpeechSeconds <= 0) throw new IllegalArgumentException("max speech duration must be positive");
    }
}
