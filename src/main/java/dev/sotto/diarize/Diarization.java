package dev.sotto.diarize;

import java.util.List;

/**
 * Who spoke when: speaker turns in time order (speakers numbered 0.. in order of first
 * appearance), how many speakers were found, the embedding used, and the speech regions
 * the VAD found (in seconds, [start, end] pairs).
 */
public record Diarization(List<SpeakerTurn> turns, int speakers, String embedding, List<double[]> speech) {
    public Diarization {
        turns = List.copyOf(turns);
        speech = List.copyOf(speech);
    }

    /**
     * The speaker talking at {@code seconds}: the turn that contains it, else the nearest
     * turn; -1 when there are no turns at all.
     */
    public int speakerAt(double seconds) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (SpeakerTurn t : turns) {
            if (seconds >= t.start() && seconds <= t.end()) return t.speaker();
            double d = seconds < t.start() ? t.start() - seconds : seconds - t.end();
            if (d < bestDistance) {
                bestDistance = d;
                best = t.speaker();
            }
        }
        return best;
    }

    /** The speaker of a word: the one active at its midpoint. */
    public int speakerOf(double start, double end) {
        return speakerAt((start + end) / 2);
    }
}
