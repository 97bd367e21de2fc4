package dev.sotto.transcribe;

import dev.sotto.diarize.Diarization;
import dev.sotto.diarize.SpeakerTurn;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import java.util.ArrayList;
import java.util.List;

/**
 * A transcript's words with their speakers: each word goes to the speaker active at its
 * midpoint ({@link Diarization#speakerOf}), and consecutive words of one speaker make a
 * speaker segment (what OpenAI's diarized_json, NanoGPT's diarization.segments and the
 * labelled subtitles show).
 */
public final class Speakers {
    private Speakers() {
    }

    public record SpeakerWord(String text, double start, double end, int speaker) {
        public String label() {
            return SpeakerTurn.label(speaker);
        }
    }

    public record SpeakerSegment(int speaker, double start, double end, String text, List<SpeakerWord> words) {
        public String label() {
            return SpeakerTurn.label(speaker);
        }

        /** OpenAI's labels: A, B, ... Z, then AA, AB... */
        public String letter() {
            return letters(speaker);
        }
    }

    static String letters(int n) {
        String s = "";
        int k = n;
        do {
            s = (char) ('A' + k % 26) + s;
            k = k / 26 - 1;
        } while (k >= 0);
        return s;
    }

    /**
     * Every word of the result with its speaker (word times from {@link Words}; {@code duration}: the
     * audio's length in seconds).
     */
    public static List<SpeakerWord> words(Result r, double duration, Diarization d) {
        List<SpeakerWord> out = new ArrayList<>();
        for (Word w : Words.all(r, duration)) {
            out.add(new SpeakerWord(w.text(), w.start(), w.end(), Math.max(0, d.speakerOf(w.start(), w.end()))));
        }
        return out;
    }

    /** The speaker of a segment: the one with most word time in it (the nearest turn when it has no words). */
    public static int speakerOf(Result r, Segment s, double duration, Diarization d) {
        double[] time = new double[Math.max(1, d.speakers())];
        boolean any = false;
        for (Word w : Words.of(r, s, duration)) {
            int sp = d.speakerOf(w.start(), w.end());
            if (sp < 0) continue;
            if (sp >= time.length) time = java.util.Arrays.copyOf(time, sp + 1);
            time[sp] += Math.max(1e-3, w.end() - w.start());
            any = true;
        }
        if (!any) return Math.max(0, d.speakerOf(s.start(), s.end()));
        int best = 0;
        for (int i = 1; i < time.length; i++) if (time[i] > time[best]) best = i;
        return best;
    }

    /** Consecutive words of one speaker, joined (with spaces except in scripts written without them). */
    public static List<SpeakerSegment> segments(Result r, double duration, Diarization d) {
        List<SpeakerSegment> out = new ArrayList<>();
        List<SpeakerWord> run = new ArrayList<>();
        for (SpeakerWord w : words(r, duration, d)) {
            if (!run.isEmpty() && run.get(0).speaker() != w.speaker()) {
                out.add(segment(run));
                run = new ArrayList<>();
            }
            run.add(w);
        }
        if (!run.isEmpty()) out.add(segment(run));
        return out;
    }

    private static SpeakerSegment segment(List<SpeakerWord> words) {
        StringBuilder text = new StringBuilder();
        for (SpeakerWord w : words) {
            if (text.length() > 0 && !Words.unspaced(w.text())) text.append(' ');
            text.append(w.text());
        }
        return new SpeakerSegment(words.get(0).speaker(), words.get(0).start(), words.get(words.size() - 1).end(),
                text.toString(), List.copyOf(words));
    }
}
