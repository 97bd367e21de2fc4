package dev.sotto.engine;

/** A stretch of a stream, in samples at 16 kHz from its start: [start, end). */
public record Span(long start, long end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }

    public long length() {
        return end - start;
    }
}
