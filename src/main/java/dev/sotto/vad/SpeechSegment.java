package dev.sotto.vad;

/** A stretch of speech, in samples at 16 kHz from the start of the stream: [start, end). */
public record SpeechSegment(long start, long end) {
    public double startSeconds() {
        return start / (double) SileroVad.SAMPLE_RATE;
    }

    public double endSeconds() {
        return end / (double) SileroVad.SAMPLE_RATE;
    }

    public long length() {
        return end - start;
    }
}
