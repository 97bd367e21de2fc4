package dev.sotto.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Silero's {@code get_speech_timestamps} as a streaming state machine: per-frame speech
 * probabilities in, padded speech segments out as soon as they are final. A segment is
 * final once the next one starts (padding splits a short silence between neighbours), the
 * silence after it is longer than two pads, or the audio ends; memory does not grow with
 * the length of the stream.
 */
public final class SpeechDetector {
    private static final int FRAME = SileroVad.FRAME;

    private final VadOptions options;
    private final long minSpeech;
    private final long minSilence;
    private final long pad;
    private final long maxSpeech;
    private final long minSilenceAtMaxSpeech;

    private long frame;                 // index of the next probability
    private boolean triggered;
    private long start;
    private long tempEnd;
    private long prevEnd;
    private long nextStart;
    private final List<long[]> possibleEnds = new ArrayList<>();   // {end, silence length}

    private long[] held;                // the last raw segment, waiting for its neighbour
    private long heldStart;             // its start after padding
    private final List<SpeechSegment> ready = new ArrayList<>();

    public SpeechDetector(VadOptions options) {
        this.options = options;
        int rate = SileroVad.SAMPLE_RATE;
        this.minSpeech = rate * (long) options.minSpeechMs() / 1000;
        this.minSilence = rate * (long) options.minSilenceMs() / 1000;
        this.pad = rate * (long) options.speechPadMs() / 1000;
        this.maxSpeech = (long) (rate * options.maxSpeechSeconds()) - FRAME - 2 * pad;
        this.minSilenceAtMaxSpeech = rate * 98L / 1000;
    }

    public VadOptions options() {
        return options;
    }

    /** Feeds the probabilities of the next frames. */
    public void accept(float[] probabilities) {
        for (float p : probabilities) step(p);
    }

    private void step(float p) {
        long at = FRAME * frame++;
        if (held != null && !triggered && at - held[1] >= 2 * pad) {
            // Silence of two pads after the held segment: its padding no longer depends on the next one.
            ready.add(new SpeechSegment(heldStart, held[1] + pad));
            held = null;
        }
        if (p >= options.threshold() && tempEnd != 0) {
            long silence = at - tempEnd;
            if (silence > minSilenceAtMaxSpeech) possibleEnds.add(new long[] {tempEnd, silence});
            tempEnd = 0;
            if (nextStart < prevEnd) nextStart = at;
        }
        if (p >= options.threshold() && !triggered) {
            triggered = true;
            start = at;
            return;
        }
        if (triggered && at - start > maxSpeech) {
            if (!possibleEnds.isEmpty()) {
                // Split at the longest silence seen so far in this segment.
                long[] best = possibleEnds.get(0);
                for (long[] e : possibleEnds) if (e[1] > best[1]) best = e;
                emitRaw(start, best[0]);
                long resume = best[0] + best[1];
                start = resume;   // still in speech: it continues after that silence
                possibleEnds.removeIf(e -> e[0] <= resume);
                prevEnd = nextStart = tempEnd = 0;
            } else {
                emitRaw(start, at);
                prevEnd = nextStart = tempEnd = 0;
                triggered = false;
                possibleEnds.clear();
                return;
            }
        }
        if (p < options.negThreshold() && triggered) {
            if (tempEnd == 0) tempEnd = at;
            if (at - tempEnd < minSilence) return;
            if (tempEnd - start > minSpeech) emitRaw(start, tempEnd);
            prevEnd = nextStart = tempEnd = 0;
            triggered = false;
            possibleEnds.clear();
        }
    }

    /** End of audio after {@code totalSamples} samples: closes the open segment. */
    public void finish(long totalSamples) {
        if (triggered && totalSamples - start > minSpeech) emitRaw(start, totalSamples);
        triggered = false;
        if (held != null) {
            ready.add(new SpeechSegment(heldStart, Math.min(totalSamples, held[1] + pad)));
            held = null;
        }
    }

    /**
     * The earliest sample where a segment not yet returned by {@link #poll} may start (after
     * padding): what a caller must keep of the audio.
     */
    public long openStart() {
        if (held != null) return heldStart;
        long from = triggered ? start : FRAME * frame;
        return Math.max(0, from - pad);
    }

    /** Segments that are final; each is returned once. */
    public List<SpeechSegment> poll() {
        List<SpeechSegment> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    /** Pads a new raw segment against the one before it (Silero's post-processing), which becomes final. */
    private void emitRaw(long s, long e) {
        if (held == null) {
            heldStart = Math.max(0, s - pad);
        } else {
            long silence = s - held[1];
            long heldEnd;
            long newStart;
            if (silence < 2 * pad) {
                heldEnd = held[1] + silence / 2;
                newStart = Math.max(0, s - silence / 2);
            } else {
                heldEnd = held[1] + pad;
                newStart = Math.max(0, s - pad);
            }
            ready.add(new SpeechSegment(heldStart, heldEnd));
            heldStart = newStart;
        }
        held = new long[] {s, e};
    }
}
