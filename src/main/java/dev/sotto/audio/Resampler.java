package dev.sotto.audio;

import java.util.Arrays;

/**
 * Converts mono float audio from one sample rate to another (by default to 16 kHz), in a
 * stream: feed it pieces of any size with {@link #process} and it returns what can be
 * computed so far, remembering the rest; {@link #flush} ends the stream.
 *
 * <p>A polyphase windowed-sinc filter (Kaiser window, about 80 dB stop-band attenuation).
 * It passes everything below 45 % of the lower rate (7.2 kHz for 16 kHz), and stops
 * everything from 50 % on, so nothing folds back into the band as aliasing. The output is
 * aligned in time with the input (no delay) and holds ceil(n * out / in) samples for n
 * input samples. Equal rates pass samples through untouched. Not thread-safe.
 */
public final class Resampler {
    private static final double PASS = 0.45; // of the lower rate
    private static final double STOP = 0.50;
    private static final double ATTENUATION_DB = 80;
    /** Above this many coefficients, phases are rounded to a finer-than-needed grid instead. */
    private static final int MAX_TABLE = 1 << 21;

    private final int inputRate;
    private final int outputRate;
    private final int up; // output steps per `down` input steps: outputRate / gcd
    private final int down;
    private final int half; // taps on each side of the output instant, in input samples
    private final int phases; // rows of the table: `up`, or fewer for odd rate pairs
    private final float[] table; // (phases + 1) rows of 2 * half taps

    private float[] history; // input samples from absolute index `historyStart` on
    private int historyLength;
    private long historyStart;
    private long consumedInput; // input samples received since the stream began
    private long nextOutput; // index of the next output sample

    /** A resampler to {@link AudioDecoder#SAMPLE_RATE} (16 kHz). */
    public Resampler(int inputRate) {
        this(inputRate, AudioDecoder.SAMPLE_RATE);
    }

    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inputRate + " -> " + outputRate);
        }
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        int g = gcd(inputRate, outputRate);
        this.up = outputRate / g;
        this.down = inputRate / g;
        int lower = Math.min(inputRate, outputRate);
        // Kaiser's estimate of the length for this attenuation and a transition band of
        // (STOP - PASS) * lower, expressed in input samples.
        double lengthSeconds = (ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * (STOP - PASS) * lower);
        this.half = (int) Math.ceil(lengthSeconds * inputRate / 2);
        int taps = 2 * half;
        this.phases = (long) up * taps <= MAX_TABLE ? up : Math.max(64, MAX_TABLE / taps);
        this.table = up == down ? null : buildTable(inputRate, lower); // equal rates pass through
        reset();
    }

    public int inputRate() {
        return inputRate;
    }

    public int outputRate() {
        return outputRate;
    }

    /** Resamples the next piece of input; returns the output it completes (often empty). */
    public float[] process(float[] input, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, input.length);
        if (table == null) {
            return Arrays.copyOfRange(input, offset, offset + length);
        }
        append(input, offset, length);
        consumedInput += length;
        return produce();
    }

    public float[] process(float[] input) {
        return process(input, 0, input.length);
    }

    /** Ends the stream: returns the remaining output, then starts over for a new stream. */
    public float[] flush() {
        if (table == null) {
            return new float[0];
        }
        long owed = ceilDiv(consumedInput * up, down) - nextOutput; // outputs before the input's end
        append(new float[half + 1], 0, half + 1); // the silence after the end completes their windows
        float[] out = produce();
        out = Arrays.copyOf(out, (int) Math.max(0, Math.min(out.length, owed)));
        reset();
        return out;
    }

    /** Computes every output whose input window is complete. */
    private float[] produce() {
        long available = historyStart + historyLength; // exclusive end of known input
        int taps = 2 * half;
        // Output n sits at input position n * down / up; it needs inputs up to floor(pos) + half.
        long count = 0;
        for (long n = nextOutput; ; n++) {
            long base = Math.floorDiv(n * down, up);
            if (base + half >= available) {
                break;
            }
            count++;
        }
        float[] out = new float[(int) count];
        for (int k = 0; k < count; k++, nextOutput++) {
            long pos = nextOutput * down;
            long base = Math.floorDiv(pos, up);
            int phase = (int) (pos - base * up);
            int row = phases == up ? phase : (int) ((phase * (long) phases + up / 2) / up);
            int first = (int) (base - half + 1 - historyStart);
            int t = row * taps;
            double acc = 0;
            for (int i = 0; i < taps; i++) {
                acc += table[t + i] * history[first + i];
            }
            out[k] = (float) acc;
        }
        discardBefore(Math.floorDiv(nextOutput * down, up) - half + 1);
        return out;
    }

    /**
     * Row r holds the filter for an output lying r / phases of an input step after input
     * sample `base`; tap i multiplies input sample base - half + 1 + i. Each row is scaled to
     * sum to exactly 1 so a constant signal passes unchanged.
     */
    private float[] buildTable(int inRate, int lower) {
        int taps = 2 * half;
        double cutoff = (PASS + STOP) / 2 * lower / inRate; // cycles per input sample
        double beta = 0.1102 * (ATTENUATION_DB - 8.7);
        double i0Beta = besselI0(beta);
        float[] t = new float[(phases + 1) * taps];
        double[] row = new double[taps];
        for (int r = 0; r <= phases; r++) {
            double frac = r / (double) phases;
            double sum = 0;
            for (int i = 0; i < taps; i++) {
                double x = frac + half - 1 - i; // distance from the output instant, in input samples
                double w = Math.abs(x) >= half ? 0 : besselI0(beta * Math.sqrt(1 - (x / half) * (x / half))) / i0Beta;
                row[i] = 2 * cutoff * sinc(2 * cutoff * x) * w;
                sum += row[i];
            }
            for (int i = 0; i < taps; i++) {
                t[r * taps + i] = (float) (row[i] / sum);
            }
        }
        return t;
    }

    private void append(float[] input, int offset, int length) {
        if (historyLength + length > history.length) {
            history = Arrays.copyOf(history, Math.max(historyLength + length, history.length * 2));
        }
        System.arraycopy(input, offset, history, historyLength, length);
        historyLength += length;
    }

    private void discardBefore(long index) {
        int drop = (int) Math.min(historyLength, Math.max(0, index - historyStart));
        if (drop > 0) {
            System.arraycopy(history, drop, history, 0, historyLength - drop);
            historyLength -= drop;
            historyStart += drop;
        }
    }

    private void reset() {
        // The stream starts with `half` samples of silence so the first outputs have a full window.
        history = new float[Math.max(4 * half, 1024)];
        historyLength = half;
        historyStart = -half;
        consumedInput = 0;
        nextOutput = 0;
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
