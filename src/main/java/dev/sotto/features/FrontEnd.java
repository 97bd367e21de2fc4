package dev.sotto.features;

/**
 * A streaming feature extractor: 16 kHz mono samples in, frames of {@link #dim()} values
 * out, computed as soon as the samples they need have arrived. Frames are addressed by
 * their absolute index since the start of the stream; frames before
 * {@link #discardBefore} are forgotten so memory stays bounded on endless input.
 *
 * <p>Implementations must give exactly the frames the offline algorithm gives for the
 * whole signal, however the samples are split into calls.
 */
public interface FrontEnd {
    /** Values per frame (mel bins). */
    int dim();

    /** Appends samples (16 kHz mono, nominally in [-1, 1]). */
    void accept(float[] samples, int offset, int length);

    /** No more samples: computes the last frames (those that need padding past the end). */
    void finish();

    /**
     * After {@link #finish}: appends {@code frames} more frames computed as if the signal
     * went on with silence, so a streaming encoder can fill its last window.
     */
    void extend(int frames);

    /** How many frames exist (absolute count, including discarded ones). */
    int framesReady();

    /** Copies frames [start, start + count) into {@code dest} row by row (frame-major). */
    void copyFrames(int start, int count, float[] dest, int destOffset);

    /** Forgets frames before {@code frame}; they will not be asked for again. */
    void discardBefore(int frame);
}
