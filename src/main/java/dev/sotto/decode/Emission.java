package dev.sotto.decode;

/** A token a search emitted, and the encoder frame (counted from the stream start) it came from. */
public record Emission(int token, long frame) {
}
