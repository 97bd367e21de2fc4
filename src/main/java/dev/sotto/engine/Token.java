package dev.sotto.engine;

/**
 * One decoded token: its text as it appears in the transcript (word pieces keep their
 * leading space), its vocabulary id, when it starts, in seconds from the start of the
 * stream, and how long it lasts where the model says so (a TDT token's duration, a CTC
 * token's run of frames); 0 when it does not.
 */
public record Token(String text, int id, double start, double duration) {
    public Token(String text, int id, double start) {
        this(text, id, start, 0);
    }

    /** Where the token ends, or its start when the model gives no duration. */
    public double end() {
        return start + duration;
    }
}
