package dev.sotto.diarize;

/** A non-speech event, as ElevenLabs writes its {@code audio_event} words: {@code (silence)}, in seconds. */
public record AudioEvent(String text, double start, double end) {
    public static final String SILENCE = "(silence)";
}
