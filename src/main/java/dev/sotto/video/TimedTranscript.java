package dev.sotto.video;

import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The speech of a video's sound track with times, as the model is told it: one line per
 * segment the recognizer found, {@code [12.3-15.0 s] text}.
 */
public record TimedTranscript(List<Line> lines) {
    public record Line(double start, double end, String text) {
    }

    public TimedTranscript {
        lines = List.copyOf(lines);
    }

    public static final TimedTranscript NONE = new TimedTranscript(List.of());

    /** The segments of a recognizer's result; empty when nothing was heard. */
    public static TimedTranscript of(Result result, double audioSeconds) {
        List<Line> lines = new ArrayList<>();
        for (Segment s : result.segments()) {
            if (!s.text().isBlank()) lines.add(new Line(s.start(), Math.max(s.start(), s.end()), s.text().strip()));
        }
        if (lines.isEmpty() && !result.text().isBlank()) lines.add(new Line(0, audioSeconds, result.text().strip()));
        return new TimedTranscript(lines);
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** All the text, segments joined by spaces. */
    public String text() {
        return String.join(" ", lines.stream().map(Line::text).toList());
    }

    /** The lines as sent to the model. */
    public String render() {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            b.append(String.format(Locale.ROOT, "[%.1f-%.1f s] %s%n", l.start(), l.end(), l.text()));
        }
        return b.toString().stripTrailing();
    }
}
