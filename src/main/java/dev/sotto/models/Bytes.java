package dev.sotto.models;

import java.util.Locale;

/** Byte counts as people read them: 812 B, 4.2 MB, 1.9 GB (powers of 1000, as disk vendors and `ls -h --si`). */
public final class Bytes {
    private Bytes() {
    }

    public static String human(long bytes) {
        if (bytes < 0) return "?";
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
