package dev.sotto.eval;

import dev.sotto.SottoException;
import dev.sotto.diarize.SpeakerTurn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The diarization error rate as NIST's md-eval scores it: (missed speech + false alarm +
 * speaker confusion) / reference speech, over the time not within {@code collar} seconds of
 * a reference turn boundary, with the one-to-one mapping of hypothesis to reference
 * speakers that maximises their overlap; overlapped speech counts once per speaker. Time
 * is scored on a 10 ms grid.
 */
public final class DiarizationErrorRate {
    static final double STEP = 0.01;

    /** Seconds of each error kind, the reference speech scored, and the rate. */
    public record Score(double missed, double falseAlarm, double confusion, double reference) {
        public double der() {
            return reference == 0 ? 0 : (missed + falseAlarm + confusion) / reference;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "DER %.1f%% (missed %.2f s, false alarm %.2f s, confusion %.2f s, of %.2f s)",
                    100 * der(), missed, falseAlarm, confusion, reference);
        }
    }

    /** A reference turn: a speaker's name and when they spoke. */
    public record Turn(String speaker, double start, double end) {
    }

    private DiarizationErrorRate() {
    }

    public static Score score(List<Turn> reference, List<SpeakerTurn> hypothesis, double collar) {
        double end = 0;
        for (Turn t : reference) end = Math.max(end, t.end());
        for (SpeakerTurn t : hypothesis) end = Math.max(end, t.end());
        int frames = (int) Math.ceil(end / STEP) + 1;
        List<String> refNames = new ArrayList<>();
        Map<String, Integer> refIds = new HashMap<>();
        for (Turn t : reference) refIds.computeIfAbsent(t.speaker(), k -> { refNames.add(k); return refNames.size() - 1; });
        int hypCount = hypothesis.stream().mapToInt(SpeakerTurn::speaker).max().orElse(-1) + 1;
        boolean[][] ref = new boolean[refNames.size()][frames];
        boolean[][] hyp = new boolean[hypCount][frames];
        boolean[] scored = new boolean[frames];
        java.util.Arrays.fill(scored, true);
        for (Turn t : reference) {
            mark(ref[refIds.get(t.speaker())], t.start(), t.end());
            unmark(scored, t.start() - collar, t.start() + collar);
            unmark(scored, t.end() - collar, t.end() + collar);
        }
        for (SpeakerTurn t : hypothesis) mark(hyp[t.speaker()], t.start(), t.end());

        // Overlap (scored frames) of every reference/hypothesis pair, then the best mapping.
        double[][] overlap = new double[refNames.size()][hypCount];
        for (int f = 0; f < frames; f++) {
            if (!scored[f]) continue;
            for (int r = 0; r < ref.length; r++) {
                if (!ref[r][f]) continue;
                for (int h = 0; h < hypCount; h++) if (hyp[h][f]) overlap[r][h] += STEP;
            }
        }
        int[] map = bestMapping(overlap);   // reference speaker -> hypothesis speaker or -1
        double missed = 0, falseAlarm = 0, confusion = 0, total = 0;
        for (int f = 0; f < frames; f++) {
            if (!scored[f]) continue;
            int nRef = 0, nHyp = 0, correct = 0;
            for (boolean[] r : ref) if (r[f]) nRef++;
            for (boolean[] h : hyp) if (h[f]) nHyp++;
            for (int r = 0; r < ref.length; r++) if (ref[r][f] && map[r] >= 0 && hyp[map[r]][f]) correct++;
            total += nRef * STEP;
            missed += Math.max(0, nRef - nHyp) * STEP;
            falseAlarm += Math.max(0, nHyp - nRef) * STEP;
            confusion += (Math.min(nRef, nHyp) - correct) * STEP;
        }
        return new Score(missed, falseAlarm, confusion, total);
    }

    private static void mark(boolean[] track, double start, double end) {
        int a = (int) Math.round(start / STEP);
        int b = Math.min(track.length, (int) Math.round(end / STEP));
        for (int f = Math.max(0, a); f < b; f++) track[f] = true;
    }

    private static void unmark(boolean[] track, double start, double end) {
        int a = (int) Math.round(start / STEP);
        int b = Math.min(track.length, (int) Math.round(end / STEP));
        for (int f = Math.max(0, a); f < b; f++) track[f] = false;
    }

    /** The one-to-one mapping with the largest total overlap (exhaustive: speaker counts are small). */
    static int[] bestMapping(double[][] overlap) {
        int nRef = overlap.length;
        int nHyp = nRef == 0 ? 0 : overlap[0].length;
        if (nRef > 10 || nHyp > 10) throw new SottoException("DER: more than 10 speakers on a side is not supported");
        int[] best = new int[nRef];
        java.util.Arrays.fill(best, -1);
        search(overlap, 0, new int[nRef], new boolean[nHyp], 0, best, new double[] {-1});
        return best;
    }

    private static void search(double[][] o, int r, int[] current, boolean[] used, double sum, int[] best, double[] bestSum) {
        if (r == o.length) {
            if (sum > bestSum[0]) {
                bestSum[0] = sum;
                System.arraycopy(current, 0, best, 0, current.length);
            }
            return;
        }
        current[r] = -1;
        search(o, r + 1, current, used, sum, best, bestSum);
        for (int h = 0; h < used.length; h++) {
            if (used[h]) continue;
            used[h] = true;
            current[r] = h;
            search(o, r + 1, current, used, sum + o[r][h], best, bestSum);
            used[h] = false;
        }
        current[r] = -1;
    }

    /** Reads RTTM ({@code SPEAKER file 1 start duration <NA> <NA> name <NA> <NA>}); other lines are skipped. */
    public static List<Turn> readRttm(Path file) {
        List<Turn> turns = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new SottoException(file + ": cannot read the reference: " + e.getMessage(), e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[0].equals("SPEAKER")) continue;
            try {
                double start = Double.parseDouble(f[3]);
                double duration = Double.parseDouble(f[4]);
                turns.add(new Turn(f[7], start, start + duration));
            } catch (NumberFormatException e) {
                throw new SottoException(file + " line " + n + ": start and duration must be numbers: " + line);
            }
        }
        if (turns.isEmpty()) throw new SottoException(file + ": no SPEAKER lines (RTTM) in the reference");
        return turns;
    }

    /** RTTM lines for {@code turns} of {@code file}. */
    public static String rttm(String file, List<SpeakerTurn> turns) {
        StringBuilder out = new StringBuilder();
        for (SpeakerTurn t : turns) {
            out.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n", file, t.start(),
                    t.duration(), SpeakerTurn.label(t.speaker())));
        }
        return out.toString();
    }

    /**
     * The reference of a recording with one speaker per channel: each channel's speaker is
     * active where that channel's energy (50 ms frames) is more than 12 dB over its own
     * quietest tenth and above -50 dBFS, with pauses under 0.3 s bridged and bursts under
     * 0.1 s dropped. {@code channels[c]} holds channel c's samples at {@code rate} Hz.
     */
    public static List<Turn> fromChannels(float[][] channels, int rate) {
        List<Turn> turns = new ArrayList<>();
        int frame = rate / 20;
        for (int c = 0; c < channels.length; c++) {
            float[] x = channels[c];
            int frames = x.length / frame;
            double[] db = new double[frames];
            for (int f = 0; f < frames; f++) {
                double e = 0;
                for (int i = f * frame; i < (f + 1) * frame; i++) e += x[i] * x[i];
                db[f] = 10 * Math.log10(e / frame + 1e-12);
            }
            double[] sorted = db.clone();
            java.util.Arrays.sort(sorted);
            double floor = sorted.length == 0 ? -120 : sorted[sorted.length / 10];
            double threshold = Math.max(-50, floor + 12);
            List<double[]> runs = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                if (db[f] <= threshold) continue;
                double s = f * 0.05, e = (f + 1) * 0.05;
                if (!runs.isEmpty() && s - runs.get(runs.size() - 1)[1] < 0.3) runs.get(runs.size() - 1)[1] = e;
                else runs.add(new double[] {s, e});
            }
            for (double[] r : runs) if (r[1] - r[0] >= 0.1) turns.add(new Turn("channel_" + c, r[0], r[1]));
        }
        turns.sort(java.util.Comparator.comparingDouble(Turn::start));
        return turns;
    }
}
