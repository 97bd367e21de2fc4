package dev.sotto.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups consecutive speech segments into windows of at most 30 s, as faster-whisper's
 * {@code merge_segments} does: a window runs from its first segment's start to its last
 * segment's end (short silences inside are kept), and closes when the next segment would
 * make it longer than 30 s. Streaming: a window also closes once no speech still to come
 * can start within 30 s of its start.
 */
public final class SpeechWindows {
    private final long maxLength;
    private long start = -1;
    private long end;
    private final List<SpeechSegment> ready = new ArrayList<>();

    public SpeechWindows(long maxLengthSamples) {
        this.maxLength = maxLengthSamples;
    }

    public void add(SpeechSegment segment) {
        if (start >= 0 && segment.end() - start > maxLength && end - start > 0) close();
        if (start < 0) start = segment.start();
        end = segment.end();
    }

    /** No speech segment still to come can start before sample {@code earliest}. */
    public void advance(long earliest) {
        if (start >= 0 && earliest - start > maxLength) close();
    }

    public void finish() {
        if (start >= 0) close();
    }

    private void close() {
        ready.add(new SpeechSegment(start, end));
        start = -1;
    }

    /** The start of the window being built, or -1. */
    public long openStart() {
        return start;
    }

    public List<SpeechSegment> poll() {
        List<SpeechSegment> out = List.copyOf(ready);
        ready.clear();
        return out;
    }
}
