package dev.sotto.engine;

import java.util.Arrays;

/**
 * The loudness of a stream's audio, 10 ms at a time, kept as it arrives: the acoustic
 * evidence word timing needs (where a word's sound ends, where a word starts after a
 * pause) carried with the decoded result instead of the audio itself. Each frame is the
 * mean power of 160 samples in dB (full scale 0 dB), stored in half-dB steps in a byte,
 * so an hour costs 360 KB. Appended under its own lock; a {@link View} sees a fixed
 * prefix, which never changes afterwards.
 */
public final class FrameEnergy {
    public static final int HOP = 160;
    public static final double HOP_SECONDS = HOP / 16000.0;
    /** The quietest level kept; digital silence reads as this. */
    public static final double FLOOR_DB = -127;

    private byte[] levels = new byte[1024];
    private int frames;
    private double partialPower;
    private int partialCount;

    /** Adds 16 kHz samples in [-1, 1]. */
    public synchronized void accept(float[] samples, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            partialPower += (double) samples[i] * samples[i];
            if (++partialCount == HOP) {
                append(partialPower / HOP);
                partialPower = 0;
                partialCount = 0;
            }
        }
    }

    private void append(double meanPower) {
        if (frames == levels.length) levels = Arrays.copyOf(levels, frames * 2);
        double db = Math.max(FLOOR_DB, Math.min(0, 10 * Math.log10(meanPower + 1e-13)));
        levels[frames++] = (byte) (Math.round(db * 2) + 127);   // -254 .. 0 half-dB steps as -127 .. 127
    }

    /**
     * The level above which a frame counts as sound, among {@code levels} (dB): a quarter of the
     * way from the quiet floor (10th percentile) to the speech level (99th); NaN when the two
     * are less than 12 dB apart (no silence to tell speech from, or no speech).
     */
    public static double speechThreshold(double[] levels) {
        if (levels.length == 0) return Double.NaN;
        double[] sorted = levels.clone();
        Arrays.sort(sorted);
        double floor = sorted[(int) Math.round(0.10 * (sorted.length - 1))];
        double peak = sorted[(int) Math.round(0.99 * (sorted.length - 1))];
        return peak - floor < 12 ? Double.NaN : floor + 0.25 * (peak - floor);
    }

    /** The frames complete so far. */
    public synchronized View view() {
        return new View(this, frames);
    }

    /** Levels in dB of frames [from, to). */
    synchronized double[] copy(int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) out[i - from] = (levels[i] - 127) / 2.0;
        return out;
    }

    /** The first {@code frames} frames of a track: what a result was decoded from. */
    public record View(FrameEnergy track, int frames) {
        public static final View NONE = new View(new FrameEnergy(), 0);

        /** Levels in dB of frames [from, to), clamped to this view. */
        public double[] levels(int from, int to) {
            int a = Math.max(0, Math.min(from, frames));
            int b = Math.max(a, Math.min(to, frames));
            return track.copy(a, b);
        }

        public double seconds() {
            return frames * HOP_SECONDS;
        }

        /** Views are equal when they hold the same levels (so equal results compare equal). */
        @Override
        public boolean equals(Object o) {
            return o instanceof View v && v.frames == frames && Arrays.equals(levels(0, frames), v.levels(0, frames));
        }

        @Override
        public int hashCode() {
            return 31 * frames + Arrays.hashCode(levels(Math.max(0, frames - 8), frames));
        }

        @Override
        public String toString() {
            return "FrameEnergy.View[" + frames + " frames]";
        }
    }
}
