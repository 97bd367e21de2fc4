package dev.sotto.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable form of a report: a fixed-width table, the totals, then the alignments with errors. */
final class TextReport {
    private TextReport() {
    }

    static String render(EvalReport report) {
        StringBuilder out = new StringBuilder();
        List<EvalReport.Utterance> rows = report.utterances();
        int pathWidth = Math.max(4, rows.stream().mapToInt(u -> displayWidth(u.path())).max().orElse(4));
        int langWidth = Math.max(4, rows.stream().mapToInt(u -> displayWidth(u.lang())).max().orElse(4));
        String head = pad("path", pathWidth) + "  " + pad("lang", langWidth)
                + String.format(Locale.ROOT, "  %-3s %8s %5s %5s %5s %6s %9s %9s", "", "rate", "S", "D", "I", "N",
                "audio s", "decode s");
        out.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (EvalReport.Utterance u : rows) {
            ErrorRate e = u.errors();
            out.append(pad(u.path(), pathWidth)).append("  ").append(pad(u.lang(), langWidth))
                    .append(String.format(Locale.ROOT, "  %-3s %8s %5d %5d %5d %6d %9s %9s", u.unit().metric(),
                            percent(e.rate()), e.substitutions(), e.deletions(), e.insertions(), e.referenceLength(),
                            seconds(u.durationSeconds()), seconds(u.decodeSeconds())))
                    .append('\n');
        }
        out.append('\n');
        EvalReport.Totals t = report.totals();
        if (t.wordErrors() != null) {
            out.append(total("WER", t.wordErrors(), "words", rows, ScoringUnit.WORD));
        }
        if (t.characterErrors() != null) {
            out.append(total("CER", t.characterErrors(), "characters", rows, ScoringUnit.CHARACTER));
        }
        out.append(String.format(Locale.ROOT, "%d utterances, audio %s s, decode %s s, real-time factor %s%n",
                t.utteranceCount(), seconds(t.audioSeconds()), seconds(t.decodeSeconds()),
                Double.isFinite(t.realTimeFactor()) ? String.format(Locale.ROOT, "%.3f", t.realTimeFactor()) : "-"));

        List<EvalReport.Utterance> withErrors = rows.stream().filter(u -> u.errors().errors() > 0).toList();
        if (!withErrors.isEmpty()) {
            out.append("\nAlignments of utterances with errors (errors in upper case, * for a gap):\n");
            for (EvalReport.Utterance u : withErrors) {
                out.append('\n').append(u.path()).append("  ").append(u.unit().metric()).append(' ')
                        .append(percent(u.errorRate())).append('\n');
                String[] lines = alignmentLines(u.alignment());
                out.append("  REF: ").append(lines[0]).append('\n');
                out.append("  HYP: ").append(lines[1]).append('\n');
            }
        }
        return out.toString();
    }

    private static String total(String name, ErrorRate e, String unit, List<EvalReport.Utterance> rows,
                                ScoringUnit kind) {
        long n = rows.stream().filter(u -> u.unit() == kind).count();
        return String.format(Locale.ROOT, "%s %s  (S %d, D %d, I %d over %d %s, %d utterances)%n", name,
                percent(e.rate()), e.substitutions(), e.deletions(), e.insertions(), e.referenceLength(), unit, n);
    }

    /**
     * sclite-style lines: each step padded to the wider of its two tokens, errors upper-cased, gaps as
     * asterisks. Widths count East Asian wide characters as two columns so Japanese lines up too.
     */
    static String[] alignmentLines(Alignment alignment) {
        List<String> ref = new ArrayList<>();
        List<String> hyp = new ArrayList<>();
        for (Alignment.Step s : alignment.steps()) {
            boolean error = s.op() != Alignment.Op.HIT;
            String r = s.ref() == null ? null : error ? s.ref().toUpperCase(Locale.ROOT) : s.ref();
            String h = s.hyp() == null ? null : error ? s.hyp().toUpperCase(Locale.ROOT) : s.hyp();
            int w = Math.max(r == null ? 1 : displayWidth(r), h == null ? 1 : displayWidth(h));
            ref.add(r == null ? "*".repeat(w) : pad(r, w));
            hyp.add(h == null ? "*".repeat(w) : pad(h, w));
        }
        return new String[] {String.join(" ", ref).stripTrailing(), String.join(" ", hyp).stripTrailing()};
    }

    private static String percent(double rate) {
        return Double.isFinite(rate) ? String.format(Locale.ROOT, "%.2f%%", rate * 100) : "-";
    }

    private static String seconds(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.2f", s) : "-";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - displayWidth(s)));
    }

    /** Terminal columns: two for CJK, Hangul, kana and full-width forms, one otherwise. */
    static int displayWidth(String s) {
        return s.codePoints().map(cp -> isWide(cp) ? 2 : 1).sum();
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
                || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
