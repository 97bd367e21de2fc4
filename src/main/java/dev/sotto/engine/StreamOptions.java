package dev.sotto.engine;

/**
 * Per-stream choices that override the recognizer's {@link DecodingConfig}: the language
 * ("auto" to detect), the task ("transcribe" or "translate", Whisper only) and a prompt
 * (Whisper only: text that conditions the first window). Null means "as configured".
 */
public record StreamOptions(String language, String task, String prompt) {
    public static final StreamOptions DEFAULT = new StreamOptions(null, null, null);

    public static StreamOptions language(String language) {
        return new StreamOptions(language, null, null);
    }

    public boolean translate() {
        return "translate".equals(task);
    }
}
