package dev.sotto.engine;

import dev.sotto.features.FrontEnd;
import java.util.List;

/**
 * The encoder side of a streaming transducer family (NeMo cache-aware FastConformer,
 * icefall Zipformer): its front end, its chunk geometry in feature frames, and one encoder
 * call over a batch of windows that updates each stream's cached state in place.
 *
 * <p>Window k covers padded frames [k * shift, k * shift + window), where the padded
 * sequence is {@link #leadingZeroFrames()} all-zero frames followed by the front end's
 * frames.
 */
public interface StreamingEncoder extends AutoCloseable {
    /** A fresh front end for one stream. */
    FrontEnd newFrontEnd();

    int featureDim();

    /** Feature frames per encoder call. */
    int windowFrames();

    /** Feature frames the window advances per call. */
    int shiftFrames();

    /** All-zero frames before the first real frame (NeMo's zero pre-encode cache). */
    int leadingZeroFrames();

    /**
     * Zero samples fed before the audio (sherpa-onnx's left padding). Token times are still
     * reported from the start of the audio, that is without this silence.
     */
    default int leadingSilenceSamples() {
        return 0;
    }

    /** Zero samples appended to the audio when input ends (sherpa-onnx's tail padding). */
    int tailPaddingSamples();

    /** With {@code realFrames} frames after the end of input, how many must exist so the last chunk covers them all. */
    int framesNeeded(int realFrames);

    /** Seconds per encoder output frame (0.08 for NeMo, 0.04 for Zipformer). */
    double frameSeconds();

    /**
     * How long after the sound of a token the model typically emits it, in seconds: the
     * word-timing correction ({@link WordTiming}) when the user sets none. 0 where it was
     * not measured.
     */
    default double emissionDelaySeconds() {
        return 0;
    }

    /** Languages the model can be asked for; empty for monolingual models. */
    List<String> languages();

    /** The initial cached state of one stream; {@code language} is "auto" or one of {@link #languages()}. */
    EncoderState initialState(String language);

    /**
     * Encodes one window per stream. {@code windows.get(i)} holds {@code windowFrames() * featureDim()}
     * values, frame-major. Returns the encoder frames [stream][frame][dim] and updates each state.
     */
    float[][][] encode(List<float[]> windows, List<EncoderState> states);

    @Override
    void close();

    /** A stream's cached encoder state; opaque to everything but its encoder. Close it when the stream ends. */
    interface EncoderState extends AutoCloseable {
        @Override
        default void close() {
        }
    }
}
