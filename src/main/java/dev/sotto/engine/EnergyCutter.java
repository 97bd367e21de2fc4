package dev.sotto.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The cutter used when no voice activity model is at hand: consecutive pieces of at most
 * the maximum length, each cut in the middle of the longest quiet stretch (10 ms frames
 * within twice the quietest one's energy) of its second half. Nothing is left out.
 */
public final class EnergyCutter implements AudioCutter {
    private static final int FRAME = 160;

    private final long maxSamples;
    private final int grid;
    private final List<Double> energies = new ArrayList<>();   // 10 ms frames from `from` on
    private final List<Span> ready = new ArrayList<>();
    private long from;          // start of the open piece
    private long seen;          // samples accepted
    private double frameSum;    // energy of the partial frame being summed

    public EnergyCutter(long maxSamples, int gridSamples) {
        if (gridSamples % FRAME != 0 || maxSamples < 4L * gridSamples) {
            throw new IllegalArgumentException("grid " + gridSamples + " must be a multiple of " + FRAME
                    + " and far shorter than the pieces (" + maxSamples + ")");
        }
        this.maxSamples = maxSamples;
        this.grid = gridSamples;
    }

    public static AudioCutter.Factory factory() {
        return EnergyCutter::new;
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            frameSum += samples[i] * (double) samples[i];
            if (++seen % FRAME == 0) {
                energies.add(frameSum / FRAME);
                frameSum = 0;
                if (seen - from >= maxSamples) cut();
            }
        }
    }

    /** Cuts the open piece in the middle of the longest quiet stretch of its second half. */
    private void cut() {
        int first = (int) ((maxSamples / 2) / FRAME);
        int last = (int) (maxSamples / FRAME);   // exclusive
        double quietest = Double.MAX_VALUE;
        for (int i = first; i < last; i++) quietest = Math.min(quietest, energies.get(i));
        double quiet = 2 * quietest + 1e-12;
        int bestStart = first;
        int bestLength = 0;
        for (int i = first; i < last; ) {
            if (energies.get(i) > quiet) {
                i++;
                continue;
            }
            int j = i;
            while (j < last && energies.get(j) <= quiet) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        long at = from + (bestStart + bestLength / 2L) * FRAME;
        at = Math.max(from + grid, at / grid * grid);
        ready.add(new Span(from, at));
        energies.subList(0, (int) ((at - from) / FRAME)).clear();
        from = at;
    }

    @Override
    public void finish() {
        if (seen > from) ready.add(new Span(from, seen));
        from = seen;
    }

    @Override
    public List<Span> poll() {
        List<Span> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    @Override
    public long keepFrom() {
        return from;
    }
}
