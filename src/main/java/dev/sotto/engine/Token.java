package dev.sotto.engine;

/**
 * One decoded token: its text as it appears in the transcript (word pieces keep their
 * leading space), its vocabulary id, and when it starts, in seconds from the start of
 * the stream.
 */
public record Token(String text, int id, double start) {
}
