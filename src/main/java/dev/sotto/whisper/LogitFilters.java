package dev.sotto.whisper;

import java.util.Arrays;

/**
 * The rules openai/whisper's {@code decoding.py} applies to the next-token logits of each
 * row before choosing a token: no blank or end-of-text as the first token, no non-speech
 * or special tokens ever, and the timestamp rules (timestamps come in pairs except just
 * before end-of-text, never decrease, the first token is a timestamp no later than
 * {@code max_initial_timestamp}, and a timestamp is forced when timestamps together are
 * more likely than any text token). Logits are masked in place with -infinity.
 */
final class LogitFilters {
    private final SpecialTokens tokens;
    private final int[] suppress;
    private final int[] blank;
    private final boolean timestamps;
    private final int maxInitialTimestampIndex;   // -1: no limit

    /**
     * @param suppress   tokens never sampled (non-speech symbols and the special tokens)
     * @param blank      the tokens of " " (suppressed, with end-of-text, as the first token)
     * @param timestamps whether timestamp rules apply (false with {@code <|notimestamps|>})
     */
    LogitFilters(SpecialTokens tokens, int[] suppress, int[] blank, boolean timestamps, int maxInitialTimestampIndex) {
        this.tokens = tokens;
        this.suppress = suppress.clone();
        this.blank = blank.clone();
        this.timestamps = timestamps;
        this.maxInitialTimestampIndex = maxInitialTimestampIndex;
    }

    /** The tokens decoding suppresses: the given non-speech tokens and every special token but timestamps and end-of-text. */
    static int[] suppressedTokens(SpecialTokens t, int[] nonSpeech) {
        int[] specials = {t.transcribe(), t.translate(), t.sot(), t.sotPrev(), t.sotLm(), t.noSpeech()};
        return java.util.stream.IntStream.concat(Arrays.stream(nonSpeech), Arrays.stream(specials))
                .distinct().sorted().toArray();
    }

    /** Applies every rule to one row; {@code sampled} holds the tokens generated so far (after the prompt). */
    void apply(float[] logits, int[] sampled, int count) {
        if (count == 0) {
            for (int b : blank) logits[b] = Float.NEGATIVE_INFINITY;
            logits[tokens.eot()] = Float.NEGATIVE_INFINITY;
        }
        for (int s : suppress) logits[s] = Float.NEGATIVE_INFINITY;
        if (timestamps) applyTimestampRules(logits, sampled, count);
    }

    private void applyTimestampRules(float[] logits, int[] sampled, int count) {
        int begin = tokens.timestampBegin();
        logits[tokens.noTimestamps()] = Float.NEGATIVE_INFINITY;

        boolean lastWasTimestamp = count >= 1 && sampled[count - 1] >= begin;
        boolean penultimateWasTimestamp = count < 2 || sampled[count - 2] >= begin;
        if (lastWasTimestamp) {
            if (penultimateWasTimestamp) {
                fill(logits, begin, logits.length);        // after a pair (or the first one): text or end
            } else {
                fill(logits, 0, tokens.eot());             // closing a segment: a timestamp or end, no text
            }
        }
        int lastTimestamp = -1;
        for (int i = count - 1; i >= 0; i--) {
            if (sampled[i] >= begin) {
                lastTimestamp = sampled[i];
                break;
            }
        }
        if (lastTimestamp >= 0) {
            // Non-decreasing, and a segment may not end where it started.
            int from = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
            fill(logits, begin, Math.min(from, logits.length));
        }
        if (count == 0) {
            fill(logits, 0, begin);
            if (maxInitialTimestampIndex >= 0) fill(logits, begin + maxInitialTimestampIndex + 1, logits.length);
        }

        // If the timestamps together are more probable than any single text token, take a timestamp.
        double logSumExp = Softmax.logSumExp(logits, 0, logits.length);
        double timestampMass = Softmax.logSumExp(logits, begin, logits.length) - logSumExp;
        double bestText = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < begin; i++) bestText = Math.max(bestText, logits[i]);
        if (timestampMass > bestText - logSumExp) fill(logits, 0, begin);
    }

    private static void fill(float[] logits, int from, int to) {
        if (from < to) Arrays.fill(logits, from, to, Float.NEGATIVE_INFINITY);
    }
}
