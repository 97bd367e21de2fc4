package dev.sotto.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Reusable direct memory for the small input tensors a search creates thousands of times
 * (joint and prediction-network calls): filling a slice of it and wrapping it as a tensor
 * costs no allocation and no copy. One per model; not for concurrent calls.
 */
public final class Scratch {
    private FloatBuffer floats = FloatBuffer.allocate(0);
    private LongBuffer longs = LongBuffer.allocate(0);

    /** A direct buffer of exactly n floats (position 0, limit n); valid until the next call. */
    public FloatBuffer floats(int n) {
        if (floats.capacity() < n) {
            floats = ByteBuffer.allocateDirect(Math.max(n, 2 * floats.capacity()) * 4).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        FloatBuffer b = floats.duplicate();
        b.clear().limit(n);
        return b;
    }

    /** A direct buffer of exactly n longs (position 0, limit n); valid until the next call. */
    public LongBuffer longs(int n) {
        if (longs.capacity() < n) {
            longs = ByteBuffer.allocateDirect(Math.max(n, 2 * longs.capacity()) * 8).order(ByteOrder.nativeOrder())
                    .asLongBuffer();
        }
        LongBuffer b = longs.duplicate();
        b.clear().limit(n);
        return b;
    }
}
