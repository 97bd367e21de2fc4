package dev.sotto.eval;

import dev.sotto.SottoException;

import java.util.Locale;

/** How {@code sotto eval} prints its report ({@code --format text|json}). */
public enum ReportFormat {
    /** A table, one line per utterance, the totals, then the alignment of every utterance with errors. */
    TEXT,
    /** One JSON object with snake_case fields: top-level totals ({@code wer}, ...) and an {@code utterances} array. */
    JSON;

    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return f;
            }
        }
        throw new SottoException("unknown report format " + name + ": use text or json");
    }

    /** The whole report, ending with a newline. */
    public String render(EvalReport report) {
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> JsonReport.render(report);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
