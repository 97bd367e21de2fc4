package dev.sotto.engine;

import java.util.List;

/**
 * What a stream has decoded so far: the full text, every token with its start time, the
 * segments, and the spoken language where the model reports one (a locale such as
 * {@code de-DE} for Nemotron 3.5, an ISO code such as {@code de} for Whisper; null when
 * the model is monolingual and says nothing). {@code languageProbability} is NaN unless
 * the language was detected with a probability. Token times are as the model emitted them;
 * {@code timing} says how words are timed from them ({@link Words}).
 */
public record Result(String text, List<Token> tokens, List<Segment> segments, String language,
                     double languageProbability, WordTiming timing) {

    public static final Result EMPTY = new Result("", List.of(), List.of(), null, Double.NaN);

    /** A result whose words are timed from its token times as they are. */
    public Result(String text, List<Token> tokens, List<Segment> segments, String language, double languageProbability) {
        this(text, tokens, segments, language, languageProbability, WordTiming.RAW);
    }

    /** True when every segment is final: nothing decoded so far will change. */
    public boolean isFinal() {
        return segments.isEmpty() || segments.get(segments.size() - 1).isFinal();
    }
}
