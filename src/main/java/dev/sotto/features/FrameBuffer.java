package dev.sotto.features;

import java.util.Arrays;

/**
 * Frames addressed by absolute index, stored contiguously; frames before a discard point
 * are dropped by compaction, so a stream of any length uses memory proportional to the
 * frames still needed.
 */
final class FrameBuffer {
    private final int dim;
    private float[] data;
    private int first;   // absolute index of the frame stored at data[0]
    private int count;   // frames stored

    public FrameBuffer(int dim) {
        this.dim = dim;
        this.data = new float[dim * 256];
    }

    public int dim() {
        return dim;
    }

    /** Absolute count of frames appended so far. */
    public int size() {
        return first + count;
    }

    /** Returns the array and offset where the next frame must be written; call {@link #commit} after. */
    public float[] reserve() {
        int need = (count + 1) * dim;
        if (need > data.length) {
            data = Arrays.copyOf(data, Math.max(need, data.length * 2));
        }
        return data;
    }

    public int reserveOffset() {
        return count * dim;
    }

    public void commit() {
        count++;
    }

    public void append(float[] frame) {
        float[] d = reserve();
        System.arraycopy(frame, 0, d, reserveOffset(), dim);
        commit();
    }

    public void copy(int start, int n, float[] dest, int destOffset) {
        if (start < first || start + n > first + count) {
            throw new IndexOutOfBoundsException("frames [" + start + ", " + (start + n) + ") not in [" + first + ", "
                    + (first + count) + ")");
        }
        System.arraycopy(data, (start - first) * dim, dest, destOffset, n * dim);
    }

    public void discardBefore(int frame) {
        int drop = Math.min(frame - first, count);
        if (drop <= 0) return;
        System.arraycopy(data, drop * dim, data, 0, (count - drop) * dim);
        first += drop;
        count -= drop;
    }
}
