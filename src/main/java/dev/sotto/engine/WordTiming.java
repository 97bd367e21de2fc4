package dev.sotto.engine;

/**
 * How the words of a {@link Result} get their times (see {@link Words}), carried with it
 * because only the engine knows: the method, the model's emission delay (seconds by which
 * its tokens come after the sound they stand for; subtracted from word starts, token times
 * are left as the model emitted them) and the audio's loudness, 10 ms at a time, as far as
 * it was decoded ({@link FrameEnergy.View#NONE} when there is none).
 */
public record WordTiming(Method method, double emissionDelay, FrameEnergy.View energy) {
    /** Token times as emitted, nothing corrected (results built without an engine). */
    public static final WordTiming RAW = new WordTiming(Method.TOKEN_TIMES, 0, FrameEnergy.View.NONE);

    public WordTiming {
        if (!(emissionDelay >= 0)) throw new IllegalArgumentException("emission delay must be >= 0 s: " + emissionDelay);
    }

    public enum Method {
        /**
         * Transducers and CTC: a word starts at its first token's time less the emission
         * delay, and ends where the loudness falls to silence after its last token (at the
         * latest where the next word starts).
         */
        TOKEN_TIMES("token-times"),
        /** Whisper with cross-attention outputs: each token's start and duration from dynamic time warping. */
        CROSS_ATTENTION("cross-attention"),
        /** Whisper without: the segment's time spread over its words by their characters. */
        CHARACTERS("characters");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** The name outputs give it ({@code word_timing} in JSON). */
        public String label() {
            return label;
        }
    }
}
