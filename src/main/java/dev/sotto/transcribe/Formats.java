package dev.sotto.transcribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sotto.diarize.AudioEvent;
import dev.sotto.diarize.Diarization;
import dev.sotto.engine.ModelInfo;
import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Token;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output formats of {@code sotto transcribe}: text, json, verbose_json (OpenAI's
 * shape), srt and vtt. Subtitle cues are cut from segments at word boundaries so none
 * runs longer than {@value #MAX_CUE_SECONDS} s or {@value #MAX_CUE_CHARS} characters.
 */
public final class Formats {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final double MAX_CUE_SECONDS = 7.0;
    public static final int MAX_CUE_CHARS = 84;

    public enum Format { TEXT, JSON, VERBOSE_JSON, SRT, VTT }

    /**
     * One transcribed input and how it was transcribed; {@code diarization} is null unless
     * speakers were asked for, {@code events} null unless audio events were.
     */
    public record Transcript(String file, Result result, double duration, ModelInfo model, String device, String task,
                             Diarization diarization, List<AudioEvent> events) {
        public Transcript(String file, Result result, double duration, ModelInfo model, String device, String task) {
            this(file, result, duration, model, device, task, null, null);
        }

        public Transcript(String file, Result result, double duration, ModelInfo model, String device, String task,
                          Diarization diarization) {
            this(file, result, duration, model, device, task, diarization, null);
        }
    }

    /** {@code audio_events: [{text, start, end}]} when events were asked for. */
    private static void events(ObjectNode o, Transcript t) {
        if (t.events() == null) return;
        ArrayNode events = o.putArray("audio_events");
        for (AudioEvent e : t.events()) {
            events.addObject().put("text", e.text()).put("start", round(e.start())).put("end", round(e.end()));
        }
    }

    private Formats() {
    }

    public static String render(Format format, Transcript t) {
        return switch (format) {
            case TEXT -> t.diarization() == null ? t.result().text() + "\n" : speakerText(t);
            case JSON -> json(t) + "\n";
            case VERBOSE_JSON -> verboseJson(t) + "\n";
            case SRT -> t.diarization() == null ? srt(t.result()) : srt(speakerCues(t));
            case VTT -> t.diarization() == null ? vtt(t.result()) : vtt(speakerCues(t));
        };
    }

    public static String extension(Format format) {
        return switch (format) {
            case TEXT -> "txt";
            case JSON, VERBOSE_JSON -> "json";
            case SRT -> "srt";
            case VTT -> "vtt";
        };
    }

    public static ObjectNode json(Transcript t) {
        Result r = t.result();
        ObjectNode o = JSON.createObjectNode();
        o.put("file", t.file());
        o.put("text", r.text());
        o.put("language", r.language());
        if (!Double.isNaN(r.languageProbability())) o.put("language_probability", round(r.languageProbability()));
        o.put("duration", round(t.duration()));
        o.put("model", t.model().name());
        o.put("family", t.model().family());
        o.put("device", t.device());
        o.put("provider", t.model().provider());
        o.put("provider_reason", t.model().providerReason());
        o.put("chunk_ms", t.model().chunkMs());
        ArrayNode tokens = o.putArray("tokens");
        for (Token token : r.tokens()) {
            ObjectNode node = tokens.addObject().put("text", token.text()).put("start", round(token.start()));
            if (token.duration() > 0) node.put("duration", round(token.duration()));
        }
        ArrayNode segments = o.putArray("segments");
        for (Segment s : r.segments()) {
            ObjectNode seg = segments.addObject().put("id", s.id()).put("start", round(s.start())).put("end", round(s.end()))
                    .put("text", s.text());
            if (t.diarization() != null) seg.put("speaker", speakerLabel(t, s));
        }
        if (t.diarization() != null) o.put("speakers", t.diarization().speakers());
        words(o, t);
        return o;
    }

    /**
     * OpenAI's verbose_json: Whisper's decoding statistics per segment where the model has
     * them, and words (timed by {@link Words}); {@code word_timing}, our addition, says how:
     * {@code token-times}, {@code cross-attention} or {@code characters} (an estimate).
     */
    public static ObjectNode verboseJson(Transcript t) {
        Result r = t.result();
        ObjectNode o = JSON.createObjectNode();
        o.put("task", t.task());
        o.put("language", r.language() == null ? null : LanguageNames.english(r.language()));
        o.put("duration", round(t.duration()));
        o.put("text", r.text());
        ArrayNode segments = o.putArray("segments");
        for (Segment s : r.segments()) {
            ObjectNode seg = segments.addObject();
            seg.put("id", s.id());
            if (s.scores() != null) seg.put("seek", s.scores().seek());
            seg.put("start", round(s.start())).put("end", round(s.end())).put("text", s.text());
            if (t.diarization() != null) seg.put("speaker", speakerLabel(t, s));
            ArrayNode ids = seg.putArray("tokens");
            for (Token token : s.tokens()) ids.add(token.id());
            if (s.scores() != null) {
                seg.put("temperature", s.scores().temperature());
                seg.put("avg_logprob", s.scores().avgLogprob());
                seg.put("compression_ratio", s.scores().compressionRatio());
                seg.put("no_speech_prob", s.scores().noSpeechProb());
            }
        }
        words(o, t);
        return o;
    }

    /** {@code words} (each with its {@code speaker} when diarized), {@code word_timing} and the audio events. */
    private static void words(ObjectNode o, Transcript t) {
        Result r = t.result();
        ArrayNode words = o.putArray("words");
        if (t.diarization() != null) {
            for (Speakers.SpeakerWord w : Speakers.words(r, t.duration(), t.diarization())) {
                words.addObject().put("word", w.text()).put("start", round(w.start())).put("end", round(w.end()))
                        .put("speaker", w.label());
            }
        } else {
            for (Word w : Words.all(r, t.duration())) {
                words.addObject().put("word", w.text()).put("start", round(w.start())).put("end", round(w.end()));
            }
        }
        o.put("word_timing", r.timing().method().label());
        events(o, t);
    }

    private static String speakerLabel(Transcript t, Segment s) {
        return dev.sotto.diarize.SpeakerTurn.label(Speakers.speakerOf(t.result(), s, t.duration(), t.diarization()));
    }

    /**
     * OpenAI's {@code diarized_json}: one segment per speaker turn of the transcript, labelled
     * A, B, ... ({@code type} {@code transcript.text.segment}, ids {@code seg_001}...).
     */
    public static ObjectNode diarizedJson(Transcript t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("task", "transcribe");
        o.put("duration", round(t.duration()));
        o.put("text", t.result().text());
        ArrayNode segments = o.putArray("segments");
        int n = 0;
        for (Speakers.SpeakerSegment s : Speakers.segments(t.result(), t.duration(), t.diarization())) {
            segments.addObject().put("type", "transcript.text.segment").put("id", String.format(Locale.ROOT, "seg_%03d", ++n))
                    .put("start", round(s.start())).put("end", round(s.end())).put("text", s.text()).put("speaker", s.letter());
        }
        return o;
    }

    /** One line per speaker turn: {@code speaker_0: text}. */
    static String speakerText(Transcript t) {
        StringBuilder out = new StringBuilder();
        for (Speakers.SpeakerSegment s : Speakers.segments(t.result(), t.duration(), t.diarization())) {
            out.append(s.label()).append(": ").append(s.text()).append('\n');
        }
        return out.length() == 0 ? "\n" : out.toString();
    }

    /** Subtitle cues cut at speaker changes too, each starting with its speaker's label in brackets. */
    static List<Cue> speakerCues(Transcript t) {
        List<Cue> cues = new ArrayList<>();
        for (Speakers.SpeakerSegment s : Speakers.segments(t.result(), t.duration(), t.diarization())) {
            List<Word> words = s.words().stream().map(w -> new Word(w.text(), w.start(), w.end())).toList();
            List<Cue> own = new ArrayList<>();
            cut(words, s.end(), own);
            for (Cue c : own) cues.add(new Cue(c.start(), c.end(), "[" + s.label() + "] " + c.text()));
        }
        return cues;
    }

    public record Cue(double start, double end, String text) {
    }

    /**
     * Subtitle cues: each segment cut at word boundaries into the fewest cues that respect
     * the limits, of about equal length (no one-word cue left dangling at the end).
     */
    public static List<Cue> cues(Result r) {
        List<Cue> cues = new ArrayList<>();
        for (Segment s : r.segments()) {
            List<Word> words = Words.of(r, s, Double.POSITIVE_INFINITY);
            if (words.isEmpty()) {
                if (!s.text().isBlank()) cues.add(new Cue(s.start(), s.end(), s.text()));
                continue;
            }
            cut(words, s.end(), cues);
        }
        return cues;
    }

    /** The cues of one run of words ending no earlier than {@code end}. */
    private static void cut(List<Word> words, double segmentEnd, List<Cue> cues) {
        int chars = words.stream().mapToInt(w -> w.text().length() + 1).sum();
        double seconds = Math.max(segmentEnd, words.get(words.size() - 1).end()) - words.get(0).start();
        int parts = (int) Math.max(Math.ceil(chars / (double) MAX_CUE_CHARS), Math.ceil(seconds / MAX_CUE_SECONDS));
        double charBudget = Math.min(MAX_CUE_CHARS, Math.ceil(chars / (double) Math.max(1, parts)) + 8);
        double secondBudget = Math.min(MAX_CUE_SECONDS, seconds / Math.max(1, parts) + 1.0);
        StringBuilder text = new StringBuilder();
        double start = words.get(0).start();
        double end = start;
        for (Word w : words) {
            boolean full = text.length() + 1 + w.text().length() > charBudget || w.end() - start > secondBudget;
            if (text.length() > 0 && full) {
                cues.add(new Cue(start, end, text.toString()));
                text.setLength(0);
                start = w.start();
            }
            if (text.length() > 0 && !Words.unspaced(w.text())) text.append(' ');
            text.append(w.text());
            end = w.end();
        }
        cues.add(new Cue(start, Math.max(end, segmentEnd), text.toString()));
    }

    public static String srt(Result r) {
        return srt(cues(r));
    }

    static String srt(List<Cue> cues) {
        StringBuilder out = new StringBuilder();
        int n = 1;
        for (Cue c : cues) {
            out.append(n++).append('\n').append(time(c.start(), ',')).append(" --> ").append(time(c.end(), ','))
                    .append('\n').append(c.text()).append("\n\n");
        }
        return out.toString();
    }

    public static String vtt(Result r) {
        return vtt(cues(r));
    }

    static String vtt(List<Cue> cues) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        for (Cue c : cues) {
            out.append(time(c.start(), '.')).append(" --> ").append(time(c.end(), '.')).append('\n').append(c.text())
                    .append("\n\n");
        }
        return out.toString();
    }

    /** HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (VTT). */
    public static String time(double seconds, char separator) {
        long ms = Math.round(Math.max(0, seconds) * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                separator, ms % 1000);
    }

    public static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
