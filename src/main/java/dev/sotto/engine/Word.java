package dev.sotto.engine;

/** One word of a transcript with when it was said, in seconds from the start of the stream. */
public record Word(String text, double start, double end) {
}
