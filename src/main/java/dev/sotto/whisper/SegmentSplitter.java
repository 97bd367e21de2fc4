package dev.sotto.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a decoded window into segments at its timestamp tokens (openai/whisper
 * transcribe.py): two timestamps in a row close one segment and open the next. If the
 * output ends with a lone timestamp, everything was heard and the next window starts after
 * this one; otherwise the last segment is unfinished and the next window starts at the
 * last complete timestamp. Without consecutive timestamps the window is one segment from
 * its start to its last timestamp.
 */
final class SegmentSplitter {
    private SegmentSplitter() {
    }

    /** A segment, times in seconds from the window start; tokens include its timestamps. */
    record Piece(double start, double end, int[] tokens) {
    }

    /**
     * @param pieces     the complete segments
     * @param advance    frames (10 ms) to move the window start forward
     * @param unfinished tokens after the last complete segment (text that runs past the window), or empty
     */
    record Split(List<Piece> pieces, int advance, int[] unfinished) {
    }

    static Split split(int[] tokens, int timestampBegin, int segmentFrames) {
        int n = tokens.length;
        boolean[] ts = new boolean[n];
        for (int i = 0; i < n; i++) ts[i] = tokens[i] >= timestampBegin;
        boolean singleEnding = n >= 2 && !ts[n - 2] && ts[n - 1];
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) if (ts[i] && ts[i + 1]) cuts.add(i + 1);

        List<Piece> pieces = new ArrayList<>();
        if (cuts.isEmpty()) {
            double duration = segmentFrames * 0.01;
            for (int i = n - 1; i >= 0; i--) {
                if (ts[i]) {
                    if (tokens[i] != timestampBegin) duration = (tokens[i] - timestampBegin) * 0.02;
                    break;
                }
            }
            pieces.add(new Piece(0, duration, tokens.clone()));
            return new Split(pieces, segmentFrames, new int[0]);
        }
        if (singleEnding) cuts.add(n);
        int last = 0;
        for (int cut : cuts) {
            int[] slice = Arrays.copyOfRange(tokens, last, cut);
            pieces.add(new Piece((slice[0] - timestampBegin) * 0.02, (slice[slice.length - 1] - timestampBegin) * 0.02, slice));
            last = cut;
        }
        if (singleEnding) return new Split(pieces, segmentFrames, new int[0]);
        int lastTimestamp = tokens[last - 1] - timestampBegin;
        // The timestamp rules forbid an empty first segment, so this moves; the guard keeps it so.
        int advance = lastTimestamp > 0 ? lastTimestamp * 2 : segmentFrames;
        return new Split(pieces, advance, Arrays.copyOfRange(tokens, last, n));
    }
}
