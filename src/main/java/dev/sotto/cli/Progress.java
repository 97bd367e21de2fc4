package dev.sotto.cli;

import dev.sotto.models.Bytes;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place, for long work on a terminal:
 * {@code jfk.wav  [########------]  57%  6.3 s / 11.0 s  12.4x}. Draws nothing when stderr
 * is not a terminal (the launcher tells, see {@link Terminal}), so logs stay clean.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;
    private final double total;      // NaN when unknown (stdin)
    private final String unit;       // "s" for seconds of audio, "B" for bytes, "" for a count of items
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /** Progress over seconds of audio. */
    Progress(String label, double totalSeconds, boolean enabled) {
        this(label, totalSeconds, "s", enabled);
    }

    /** Progress over {@code total} of something; {@code unit} is "s" for seconds, "B" for bytes, "" for items. */
    Progress(String label, double total, String unit, boolean enabled) {
        this.err = System.err;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.enabled = enabled;
    }

    /** Reports how much is done (drawn at most 10 times a second). */
    void update(double done) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double wall = (now - started) / 1e9;
        boolean seconds = unit.equals("s");
        boolean bytes = unit.equals("B");
        String speed = seconds && wall > 0.2 ? String.format(Locale.ROOT, "  %.1fx real time", done / wall)
                : bytes && wall > 0.2 ? "  " + Bytes.human((long) (done / wall)) + "/s" : "";
        String amount = seconds ? String.format(Locale.ROOT, "%.1f", done)
                : bytes ? Bytes.human((long) done) : String.format(Locale.ROOT, "%.0f", done);
        String line;
        if (Double.isNaN(total) || total <= 0) {
            line = String.format(Locale.ROOT, "%s  %s%s%s", label, amount, bytes ? "" : " " + unit, speed);
        } else {
            double f = Math.max(0, Math.min(1, done / total));
            int filled = (int) Math.round(f * WIDTH);
            String of = seconds ? String.format(Locale.ROOT, "%.1f s", total)
                    : bytes ? Bytes.human((long) total) : String.format(Locale.ROOT, "%.0f", total);
            line = String.format(Locale.ROOT, "%s  [%s%s] %3d%%  %s / %s%s", label, "#".repeat(filled),
                    "-".repeat(WIDTH - filled), Math.round(f * 100), amount, of, speed);
        }
        err.print("\r\033[K" + line);
        err.flush();
        drawn = true;
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
