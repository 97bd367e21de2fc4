package dev.sotto.transcribe;

import java.util.Locale;

/**
 * Language codes ({@code de}, {@code de-DE}) to the lower-case English names OpenAI's
 * verbose_json uses ("german"): Whisper's own table, else Java's locale names.
 */
public final class LanguageNames {
    private LanguageNames() {
    }

    public static String english(String code) {
        String whisper = dev.sotto.whisper.Languages.name(code);
        if (whisper != null) return whisper;
        String name = Locale.forLanguageTag(code.replace('_', '-')).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() ? code : name.toLowerCase(Locale.ROOT);
    }
}
