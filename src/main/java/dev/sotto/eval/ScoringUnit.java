package dev.sotto.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What an error rate counts: words (WER) for most languages, characters (CER) for ja/zh/ko. */
enum ScoringUnit {
    WORD("wer"),
    CHARACTER("cer");

    private final String metric;

    ScoringUnit(String metric) {
        this.metric = metric;
    }

    /** {@link #CHARACTER} for Japanese, Chinese (also Cantonese, {@code yue}) and Korean, {@link #WORD} otherwise. */
    public static ScoringUnit forLanguage(String lang) {
        return Languages.isCharacterScored(lang) ? CHARACTER : WORD;
    }

    /** {@code "wer"} or {@code "cer"}: the name of the rate in reports. */
    public String metric() {
        return metric;
    }

    /**
     * The tokens to align, from normalised text: words split on whitespace, or every code point with
     * whitespace removed (so a Korean reference with spaces and a hypothesis without them score alike).
     */
    public List<String> split(String normalized) {
        String s = normalized == null ? "" : normalized.strip();
        if (this == WORD) {
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
        }
        List<String> chars = new ArrayList<>(s.length());
        s.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
                .forEach(cp -> chars.add(new String(Character.toChars(cp))));
        return chars;
    }
}
