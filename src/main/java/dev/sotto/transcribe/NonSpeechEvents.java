package dev.sotto.transcribe;

import dev.sotto.diarize.AudioEvent;
import dev.sotto.engine.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whisper's own audio events: what it writes in brackets ({@code [Music]}, {@code (laughs)},
 * {@code [APPLAUSE]}) or between music notes ({@code ♪ ... ♪}) once its non-speech tokens are no
 * longer suppressed ({@link dev.sotto.engine.DecodingConfig#keepNonSpeech()}). Each becomes an
 * event over the words it spans, named as ElevenLabs names them: {@code (music)}, {@code (laughs)}.
 * The words stay in the transcript: they are what the model wrote.
 */
public final class NonSpeechEvents {
    static final String NOTE = "♪";
    static final int MAX_BRACKET_WORDS = 8;    // "[Music playing softly]"; longer is prose in brackets, not an event

    private NonSpeechEvents() {
    }

    public static List<AudioEvent> of(List<Word> words) {
        List<AudioEvent> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String t = words.get(i).text().strip();
            if (t.startsWith("[") || t.startsWith("(")) {
                char close = t.charAt(0) == '[' ? ']' : ')';
                int last = closing(words, i, close);
                if (last < 0) continue;
                StringBuilder inner = new StringBuilder();
                for (int j = i; j <= last; j++) inner.append(' ').append(words.get(j).text().strip());
                String name = inner.toString().replaceAll("[\\[\\]()♪]", " ").replaceAll("[.,!?;:]", " ").strip()
                        .replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) out.add(new AudioEvent("(" + name + ")", words.get(i).start(), words.get(last).end()));
                i = last;
            } else if (t.startsWith(NOTE)) {
                // ♪ lyrics ♪ (or a lone ♪): music from the opening note to the closing one.
                int last = i;
                if (t.replace(NOTE, "").strip().isEmpty() || !t.substring(NOTE.length()).contains(NOTE)) {
                    for (int j = i + 1; j < words.size(); j++) {
                        if (words.get(j).text().contains(NOTE)) {
                            last = j;
                            break;
                        }
                    }
                }
                out.add(new AudioEvent("(music)", words.get(i).start(), words.get(last).end()));
                i = last;
            }
        }
        return out;
    }

    /** The index of the word closing the bracket opened at {@code from}, or -1. */
    private static int closing(List<Word> words, int from, char close) {
        for (int j = from; j < words.size() && j < from + MAX_BRACKET_WORDS; j++) {
            String t = words.get(j).text().strip();
            if (t.indexOf(close, j == from ? 1 : 0) >= 0) return j;
        }
        return -1;
    }
}
