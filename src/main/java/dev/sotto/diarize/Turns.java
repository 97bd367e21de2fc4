package dev.sotto.diarize;

import java.util.ArrayList;
import java.util.List;

/** From labelled windows to smoothed speaker turns. */
final class Turns {
    private Turns() {
    }

    /** A labelled stretch: the part of a window closest to its centre, inside one speech region. */
    record Piece(int speaker, double start, double end) {
    }

    /**
     * Joins touching pieces of one speaker, joins one speaker's turns separated by less than
     * {@code mergeGap} of silence, then gives turns shorter than {@code minTurn} to their
     * neighbours (the longer one's speaker takes the time, when the two neighbours differ,
     * half to each), repeating until nothing changes; speakers are renumbered by first appearance.
     */
    static List<SpeakerTurn> smooth(List<Piece> pieces, double minTurn, double mergeGap) {
        List<SpeakerTurn> turns = new ArrayList<>();
        for (Piece p : pieces) turns.add(new SpeakerTurn(p.speaker(), p.start(), p.end()));
        turns = join(turns, mergeGap);
        boolean changed = true;
        while (changed && turns.size() > 1) {
            changed = false;
            int shortest = -1;
            for (int i = 0; i < turns.size(); i++) {
                SpeakerTurn t = turns.get(i);
                if (t.duration() < minTurn && (shortest < 0 || t.duration() < turns.get(shortest).duration())) shortest = i;
            }
            if (shortest < 0) break;
            SpeakerTurn t = turns.remove(shortest);
            SpeakerTurn before = shortest > 0 ? turns.get(shortest - 1) : null;
            SpeakerTurn after = shortest < turns.size() ? turns.get(shortest) : null;
            if (before != null && after != null && before.speaker() != after.speaker()) {
                double mid = (t.start() + t.end()) / 2;
                turns.set(shortest - 1, new SpeakerTurn(before.speaker(), before.start(), Math.max(before.end(), mid)));
                turns.set(shortest, new SpeakerTurn(after.speaker(), Math.min(after.start(), mid), after.end()));
            } else if (before != null) {
                turns.set(shortest - 1, new SpeakerTurn(before.speaker(), before.start(), Math.max(before.end(), t.end())));
            } else if (after != null) {
                turns.set(shortest, new SpeakerTurn(after.speaker(), Math.min(after.start(), t.start()), after.end()));
            }
            turns = join(turns, mergeGap);
            changed = true;
        }
        return renumber(turns);
    }

    private static List<SpeakerTurn> join(List<SpeakerTurn> turns, double gap) {
        List<SpeakerTurn> out = new ArrayList<>();
        for (SpeakerTurn t : turns) {
            SpeakerTurn last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.speaker() == t.speaker() && t.start() - last.end() <= gap) {
                out.set(out.size() - 1, new SpeakerTurn(t.speaker(), last.start(), Math.max(last.end(), t.end())));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    static List<SpeakerTurn> renumber(List<SpeakerTurn> turns) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        List<SpeakerTurn> out = new ArrayList<>();
        for (SpeakerTurn t : turns) {
            int id = ids.computeIfAbsent(t.speaker(), k -> ids.size());
            out.add(new SpeakerTurn(id, t.start(), t.end()));
        }
        return out;
    }
}
