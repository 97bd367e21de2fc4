package dev.sotto.eval;

import java.util.Locale;
import java.util.Set;

/** Language codes as manifests write them: {@code en}, {@code en-US}, {@code zh_CN}; matched on the primary subtag. */
final class Languages {
    /** Written without spaces between words, so scored by characters (CER). Cantonese is written in Han characters too. */
    private static final Set<String> CHARACTER_SCORED = Set.of("ja", "zh", "ko", "yue");

    private Languages() {
    }

    /** The primary subtag, lower case: {@code "en-US"} and {@code "EN_us"} give {@code "en"}; null gives "". */
    static String primary(String lang) {
        if (lang == null) {
            return "";
        }
        String s = lang.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        int dash = s.indexOf('-');
        return dash < 0 ? s : s.substring(0, dash);
    }

    static boolean isEnglish(String lang) {
        return primary(lang).equals("en");
    }

    static boolean isCharacterScored(String lang) {
        return CHARACTER_SCORED.contains(primary(lang));
    }

    /**
     * Whether a row's language is selected by a {@code --lang} filter: the same code ignoring case, or a
     * region of it ({@code en} selects {@code en-GB}; {@code en-GB} selects only {@code en-GB}).
     */
    static boolean matches(String rowLang, String filter) {
        String row = rowLang.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        String want = filter.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return row.equals(want) || row.startsWith(want + "-");
    }
}
