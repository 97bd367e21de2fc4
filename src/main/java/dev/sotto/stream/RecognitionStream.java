package dev.sotto.stream;

/**
 * One audio stream being recognised: feed it samples with {@link #acceptWaveform}, mark
 * the end with {@link #inputFinished}, and let its {@link Recognizer} decode it. A stream
 * is used from one thread at a time.
 */
public final class RecognitionStream implements AutoCloseable {
    private final Recognizer owner;
    final EngineStream engineStream;
    private boolean closed;

    RecognitionStream(Recognizer owner, EngineStream engineStream) {
        this.owner = owner;
        this.engineStream = engineStream;
    }

    /** Samples in [-1, 1], mono, at 16 kHz. */
    public void acceptWaveform(float[] samples) {
        acceptWaveform(samples, 0, samples.length);
    }

    public void acceptWaveform(float[] samples, int offset, int length) {
        check();
        engineStream.acceptWaveform(samples, offset, length);
    }

    /** No more audio: the stream decodes what is left (including tail padding) and its result becomes final. */
    public void inputFinished() {
        check();
        engineStream.inputFinished();
    }

    /** Seconds of audio accepted so far. */
    public double secondsAccepted() {
        return engineStream.secondsAccepted();
    }

    /** Seconds of audio decoded so far. */
    public double secondsDecoded() {
        return engineStream.secondsDecoded();
    }

    Recognizer owner() {
        return owner;
    }

    private void check() {
        if (closed) throw new IllegalStateException("stream is closed");
    }

    @Override
    public void close() {
        closed = true;
    }
}
