package dev.sotto.whisper;

import java.util.List;
import java.util.Locale;

/**
 * Whisper's languages in token order (openai/whisper tokenizer.py): the language tokens
 * follow {@code <|startoftranscript|>} in this order. Models up to large-v2 know the
 * first 99; large-v3 and turbo add Cantonese ({@code yue}) as the 100th.
 */
public final class Languages {
    private static final String[][] TABLE = {
        {"en", "english"}, {"zh", "chinese"}, {"de", "german"}, {"es", "spanish"}, {"ru", "russian"},
        {"ko", "korean"}, {"fr", "french"}, {"ja", "japanese"}, {"pt", "portuguese"}, {"tr", "turkish"},
        {"pl", "polish"}, {"ca", "catalan"}, {"nl", "dutch"}, {"ar", "arabic"}, {"sv", "swedish"},
        {"it", "italian"}, {"id", "indonesian"}, {"hi", "hindi"}, {"fi", "finnish"}, {"vi", "vietnamese"},
        {"he", "hebrew"}, {"uk", "ukrainian"}, {"el", "greek"}, {"ms", "malay"}, {"cs", "czech"},
        {"ro", "romanian"}, {"da", "danish"}, {"hu", "hungarian"}, {"ta", "tamil"}, {"no", "norwegian"},
        {"th", "thai"}, {"ur", "urdu"}, {"hr", "croatian"}, {"bg", "bulgarian"}, {"lt", "lithuanian"},
        {"la", "latin"}, {"mi", "maori"}, {"ml", "malayalam"}, {"cy", "welsh"}, {"sk", "slovak"},
        {"te", "telugu"}, {"fa", "persian"}, {"lv", "latvian"}, {"bn", "bengali"}, {"sr", "serbian"},
        {"az", "azerbaijani"}, {"sl", "slovenian"}, {"kn", "kannada"}, {"et", "estonian"}, {"mk", "macedonian"},
        {"br", "breton"}, {"eu", "basque"}, {"is", "icelandic"}, {"hy", "armenian"}, {"ne", "nepali"},
        {"mn", "mongolian"}, {"bs", "bosnian"}, {"kk", "kazakh"}, {"sq", "albanian"}, {"sw", "swahili"},
        {"gl", "galician"}, {"mr", "marathi"}, {"pa", "punjabi"}, {"si", "sinhala"}, {"km", "khmer"},
        {"sn", "shona"}, {"yo", "yoruba"}, {"so", "somali"}, {"af", "afrikaans"}, {"oc", "occitan"},
        {"ka", "georgian"}, {"be", "belarusian"}, {"tg", "tajik"}, {"sd", "sindhi"}, {"gu", "gujarati"},
        {"am", "amharic"}, {"yi", "yiddish"}, {"lo", "lao"}, {"uz", "uzbek"}, {"fo", "faroese"},
        {"ht", "haitian creole"}, {"ps", "pashto"}, {"tk", "turkmen"}, {"nn", "nynorsk"}, {"mt", "maltese"},
        {"sa", "sanskrit"}, {"lb", "luxembourgish"}, {"my", "myanmar"}, {"bo", "tibetan"}, {"tl", "tagalog"},
        {"mg", "malagasy"}, {"as", "assamese"}, {"tt", "tatar"}, {"haw", "hawaiian"}, {"ln", "lingala"},
        {"ha", "hausa"}, {"ba", "bashkir"}, {"jw", "javanese"}, {"su", "sundanese"}, {"yue", "cantonese"},
    };

    private Languages() {
    }

    /** The first {@code count} language codes in token order. */
    public static List<String> codes(int count) {
        if (count < 0 || count > TABLE.length) {
            throw new IllegalArgumentException("Whisper knows " + TABLE.length + " languages, not " + count);
        }
        String[] codes = new String[count];
        for (int i = 0; i < count; i++) codes[i] = TABLE[i][0];
        return List.of(codes);
    }

    /** The English name Whisper uses for a code ("en" -> "english"), as OpenAI's verbose_json reports it; null if unknown. */
    public static String name(String code) {
        for (String[] row : TABLE) {
            if (row[0].equals(code)) return row[1];
        }
        return null;
    }

    /**
     * Normalises what a user typed: a code ("de", "DE"), a code with a region ("de-DE"), or an
     * English name ("German"). Returns the code, or null if it is not a Whisper language.
     */
    public static String normalize(String language) {
        String s = language.trim().toLowerCase(Locale.ROOT);
        for (String[] row : TABLE) {
            if (row[0].equals(s) || row[1].equals(s)) return row[0];
        }
        int dash = s.indexOf('-') >= 0 ? s.indexOf('-') : s.indexOf('_');
        return dash > 0 ? normalize(s.substring(0, dash)) : null;
    }
}
