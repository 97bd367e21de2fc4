package dev.sotto.decode;

/**
 * A token a search emitted, the encoder frame (counted from the stream start) it came
 * from, and how many frames it covers where the model says so (a TDT duration, a CTC
 * run); 0 when it does not.
 */
public record Emission(int token, long frame, int duration) {
    public Emission(int token, long frame) {
        this(token, frame, 0);
    }
}
