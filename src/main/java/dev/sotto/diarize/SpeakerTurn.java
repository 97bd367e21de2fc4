package dev.sotto.diarize;

/** One speaker talking without interruption, in seconds from the start of the audio; speakers count from 0. */
public record SpeakerTurn(int speaker, double start, double end) {
    public double duration() {
        return end - start;
    }

    /** The label users see: {@code speaker_0}, {@code speaker_1}... (ElevenLabs' form). */
    public static String label(int speaker) {
        return "speaker_" + speaker;
    }
}
