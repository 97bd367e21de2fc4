package dev.sotto.engine;

import java.util.List;

/**
 * A stretch of the transcript between two boundaries (endpoints for streaming models,
 * timestamp pairs for Whisper). {@code isFinal} is false only for the segment still being
 * decoded. {@code scores} carries Whisper's per-segment decoding statistics and is null
 * for transducers.
 */
public record Segment(int id, double start, double end, String text, List<Token> tokens, boolean isFinal,
                      Scores scores) {

    /** Whisper's decoding statistics, as OpenAI's verbose_json reports them. */
    public record Scores(int seek, double temperature, double avgLogprob, double compressionRatio,
                         double noSpeechProb) {
    }
}
