package dev.sotto.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable token sequence that shares its prefix with the sequence it extends, so the
 * hypotheses of a beam cost one node per token they add. Equality and hash are those of
 * the token ids alone (the frames they came from are carried, not compared): it is the key
 * under which a beam search merges hypotheses.
 */
final class TokenPath {
    static final TokenPath EMPTY = new TokenPath(null, -1, -1, 0);

    private final TokenPath previous;
    private final int token;
    private final long frame;
    private final int duration;
    private final int length;
    private final int hash;

    private TokenPath(TokenPath previous, int token, long frame, int duration) {
        this.previous = previous;
        this.token = token;
        this.frame = frame;
        this.duration = duration;
        this.length = previous == null ? 0 : previous.length + 1;
        this.hash = previous == null ? 1 : previous.hash * 31 + token;
    }

    TokenPath append(int token, long frame) {
        return append(token, frame, 0);
    }

    TokenPath append(int token, long frame, int duration) {
        return new TokenPath(this, token, frame, duration);
    }

    int length() {
        return length;
    }

    /** The last token (undefined for the empty path). */
    int lastToken() {
        return token;
    }

    List<Emission> emissions() {
        List<Emission> out = new ArrayList<>(length);
        for (TokenPath p = this; p.previous != null; p = p.previous) out.add(new Emission(p.token, p.frame, p.duration));
        Collections.reverse(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TokenPath other) || other.length != length || other.hash != hash) return false;
        TokenPath a = this;
        TokenPath b = other;
        while (a != b) {   // shared prefixes end the walk early
            if (a.token != b.token) return false;
            a = a.previous;
            b = b.previous;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
