package dev.sotto.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place words get their times, for every family and every output (verbose_json,
 * subtitles, the servers' word lists). A segment's tokens are grouped into words
 * ({@link #group}: a token whose text starts with a space starts a word, so punctuation
 * stays with the word it is written against, as openai/whisper merges it; tokens without
 * text, Whisper's timestamps, belong to none), then timed by the result's {@link WordTiming}:
 *
 * <ul>
 *   <li>{@link WordTiming.Method#TOKEN_TIMES} (transducers, CTC): a word starts at its
 *       first token's time less the model's emission delay; if that instant is silent
 *       (quieter than the speech threshold below) the start moves on to where sound begins,
 *       no later than the word's last token was emitted. It ends where the sound stops after its last
 *       token (that token's end when the model gives durations, TDT and CTC), at the latest
 *       where the next word starts. The speech threshold is
 *       {@link FrameEnergy#speechThreshold} of the 10 ms levels within 3 s of the segment.
 *       Without loudness, or with too little contrast, a word ends at its last token's end (durations) or where the next
 *       one starts.
 *   <li>{@link WordTiming.Method#CROSS_ATTENTION} (Whisper with alignment): a word spans
 *       its tokens, whose starts and durations the alignment set.
 *   <li>{@link WordTiming.Method#CHARACTERS} (Whisper without): tokens start at their
 *       character position within the segment; a word ends where the next starts.
 * </ul>
 *
 * <p>Always {@code 0 <= start <= end <= duration}, each word within its segment (whose
 * times the engine gives as audio times, its start corrected for the emission delay), and
 * each word starting no earlier than the previous one ended.
 */
public final class Words {
    static final double CONTEXT_SECONDS = 3;

    private Words() {
    }

    /** Every word of the result, segment after segment. {@code duration}: the audio's length in seconds (or infinity). */
    public static List<Word> all(Result r, double duration) {
        List<Word> out = new ArrayList<>();
        for (Segment s : r.segments()) out.addAll(of(r, s, duration));
        return out;
    }

    /** The words of one segment of {@code r}. */
    public static List<Word> of(Result r, Segment s, double duration) {
        WordTiming timing = r.timing();
        List<List<Token>> groups = group(s.tokens());
        if (groups.isEmpty()) return List.of();
        double limit = Math.max(0, duration);
        double delay = timing.method() == WordTiming.Method.TOKEN_TIMES ? timing.emissionDelay() : 0;
        double lo = clamp(s.start(), 0, limit);
        double hi = clamp(Math.max(s.end(), lo), lo, limit);
        Speech speech = timing.method() == WordTiming.Method.TOKEN_TIMES ? Speech.of(timing.energy(), lo, hi) : null;

        List<Word> out = new ArrayList<>(groups.size());
        double previousEnd = lo;
        for (int i = 0; i < groups.size(); i++) {
            List<Token> g = groups.get(i);
            Token first = g.get(0);
            Token last = g.get(g.size() - 1);
            double next = i + 1 < groups.size() ? clamp(groups.get(i + 1).get(0).start() - delay, previousEnd, hi) : hi;
            double start = clamp(first.start() - delay, previousEnd, next);
            double lastEnd = clamp(last.end() - delay, start, next);
            double end;
            if (speech != null) {
                // sound cannot begin after the model emitted the word's last token
                start = speech.onset(start, clamp(last.start(), start, next));
                end = speech.offset(Math.max(lastEnd, start), next);
            } else if (timing.method() == WordTiming.Method.CROSS_ATTENTION || last.duration() > 0) {
                end = lastEnd;
            } else {
                end = next;
            }
            end = clamp(end, start, hi);
            out.add(new Word(text(g), start, end));
            previousEnd = end;
        }
        return out;
    }

    /**
     * Tokens grouped into words: a token starting with a space starts one, and so does one in a
     * script written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese: each such
     * token is a word, as openai/whisper splits them); tokens without text join none.
     */
    static List<List<Token>> group(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = null;
        for (Token t : tokens) {
            if (t.text().isEmpty()) continue;
            boolean starts = current == null || ((t.text().startsWith(" ") || unspaced(t.text().strip()))
                    && !text(current).isEmpty());
            if (starts) {
                current = new ArrayList<>();
                out.add(current);
            }
            current.add(t);
        }
        out.removeIf(g -> text(g).isEmpty());
        return out;
    }

    /** Whether the text begins in a script written without spaces between words. */
    public static boolean unspaced(String s) {
        if (s.isEmpty()) return false;
        return switch (Character.UnicodeScript.of(s.codePointAt(0))) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> true;
            default -> false;
        };
    }

    private static String text(List<Token> tokens) {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) b.append(t.text());
        return b.toString().strip();
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Which 10 ms frames around a segment are louder than its speech threshold. */
    private record Speech(int firstFrame, boolean[] loud) {
        static Speech of(FrameEnergy.View energy, double from, double to) {
            if (energy.frames() == 0) return null;
            int a = Math.max(0, (int) Math.floor((from - CONTEXT_SECONDS) / FrameEnergy.HOP_SECONDS));
            int b = Math.min(energy.frames(), (int) Math.ceil((to + CONTEXT_SECONDS) / FrameEnergy.HOP_SECONDS));
            double[] levels = energy.levels(a, b);
            double threshold = FrameEnergy.speechThreshold(levels);
            if (Double.isNaN(threshold)) return null;
            boolean[] loud = new boolean[levels.length];
            for (int i = 0; i < levels.length; i++) loud[i] = levels[i] > threshold;
            return new Speech(a, loud);
        }

        boolean loud(int frame) {
            int i = frame - firstFrame;
            return i >= 0 && i < loud.length && loud[i];
        }

        static int frame(double seconds) {
            return (int) Math.floor(seconds / FrameEnergy.HOP_SECONDS + 1e-9);
        }

        /** Where sound begins at or after {@code start}, before {@code limit}; {@code start} if it is loud or none is found. */
        double onset(double start, double limit) {
            int f = frame(start);
            if (loud(f)) return start;
            for (int g = f + 1; g * FrameEnergy.HOP_SECONDS < limit; g++) {
                if (loud(g)) return g * FrameEnergy.HOP_SECONDS;
            }
            return start;
        }

        /** Where the sound going on at {@code from} stops, at most {@code limit}. */
        double offset(double from, double limit) {
            int f = frame(from);
            while (f * FrameEnergy.HOP_SECONDS < limit && loud(f)) f++;
            return Math.min(limit, Math.max(from, f * FrameEnergy.HOP_SECONDS));
        }
    }
}
