package dev.sotto.cli;

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
    private final double total;      // seconds of audio; NaN when unknown (stdin)
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    Progress(String label, double totalSeconds, boolean enabled) {
        this.err = System.err;
        this.label = label;
        this.total = totalSeconds;
        this.enabled = enabled;
    }

    /** Reports seconds of audio processed so far (drawn at most 10 times a second). */
    void update(double seconds) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double wall = (now - started) / 1e9;
        String speed = wall > 0.2 ? String.format(Locale.ROOT, "  %.1fx", seconds / wall) : "";
        String line;
        if (Double.isNaN(total) || total <= 0) {
            line = String.format(Locale.ROOT, "%s  %.1f s%s", label, seconds, speed);
        } else {
            double f = Math.max(0, Math.min(1, seconds / total));
            int filled = (int) Math.round(f * WIDTH);
            line = String.format(Locale.ROOT, "%s  [%s%s] %3d%%  %.1f / %.1f s%s", label, "#".repeat(filled),
                    "-".repeat(WIDTH - filled), Math.round(f * 100), seconds, total, speed);
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
        }
    }
}
