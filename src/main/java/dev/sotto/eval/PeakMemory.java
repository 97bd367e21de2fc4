package dev.sotto.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory (Linux {@code VmHWM}): Java heap, ONNX Runtime's
 * native arenas and FFmpeg together. {@link #reset} restarts the peak (writing 5 to
 * {@code /proc/self/clear_refs}) so each bench configuration gets its own.
 */
final class PeakMemory {
    private PeakMemory() {
    }

    static void reset() {
        System.gc();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux or not allowed: the peak then covers the whole process so far
        }
    }

    /** Peak resident set in MiB since the last reset; NaN where /proc is not available. */
    static double peakMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
