package dev.sotto.features;

import java.util.Arrays;

/**
 * 16 kHz samples addressed by their index since the start of the stream. Samples before a
 * discard point are dropped (by compaction), so a stream of any length keeps only what the
 * next windows still need.
 */
public final class SampleBuffer {
    private float[] data = new float[16000 * 4];
    private long first;     // index of data[0]
    private int count;

    public void append(float[] samples, int offset, int length) {
        if (count + length > data.length) {
            data = Arrays.copyOf(data, Math.max(count + length, data.length * 2));
        }
        System.arraycopy(samples, offset, data, count, length);
        count += length;
    }

    /** Samples appended so far, discarded ones included. */
    public long length() {
        return first + count;
    }

    /** Samples held in memory. */
    public int retained() {
        return count;
    }

    public double at(long index) {
        if (index < first || index >= first + count) {
            throw new IndexOutOfBoundsException("sample " + index + " not in [" + first + ", " + (first + count) + ")");
        }
        return data[(int) (index - first)];
    }

    /** Samples [start, start + n) as a new array; they must not have been discarded. */
    public float[] copy(long start, int n) {
        if (start < first || start + n > first + count) {
            throw new IndexOutOfBoundsException("samples [" + start + ", " + (start + n) + ") not in [" + first + ", "
                    + (first + count) + ")");
        }
        return Arrays.copyOfRange(data, (int) (start - first), (int) (start - first) + n);
    }

    public void discardBefore(long index) {
        int drop = (int) Math.min(Math.max(0, index - first), count);
        if (drop == 0) return;
        System.arraycopy(data, drop, data, 0, count - drop);
        first += drop;
        count -= drop;
        if (data.length > 4 * Math.max(count, 16000 * 4)) data = Arrays.copyOf(data, 2 * Math.max(count, 16000 * 4));
    }
}
