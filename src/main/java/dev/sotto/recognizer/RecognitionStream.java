package dev.sotto.recognizer;

import dev.sotto.engine.EngineStream;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.audio.Resampler;

/**
 * One audio stream being recognised: feed it samples with {@link #acceptWaveform}, mark
 * the end with {@link #inputFinished}, and let its {@link Recognizer} decode it. One
 * thread may feed a stream while another decodes it (a capture thread and a decoding
 * thread); feeding itself is not meant for several threads at once.
 */
public final class RecognitionStream implements AutoCloseable {
    private final Recognizer owner;
    final EngineStream engineStream;
    private Resampler resampler;   // only for audio that is not at 16 kHz
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

    /**
     * Samples in [-1, 1], mono, at any rate: converted to 16 kHz (windowed-sinc). Keep the
     * rate the same for the whole stream.
     */
    public void acceptWaveform(float[] samples, int sampleRate) {
        check();
        if (sampleRate == AudioDecoder.SAMPLE_RATE) {
            engineStream.acceptWaveform(samples, 0, samples.length);
            return;
        }
        if (resampler == null || resampler.inputRate() != sampleRate) {
            if (resampler != null) flushResampler();
            resampler = new Resampler(sampleRate);
        }
        float[] converted = resampler.process(samples);
        engineStream.acceptWaveform(converted, 0, converted.length);
    }

    private void flushResampler() {
        float[] tail = resampler.flush();
        engineStream.acceptWaveform(tail, 0, tail.length);
    }

    /** No more audio: the stream decodes what is left (including tail padding) and its result becomes final. */
    public void inputFinished() {
        check();
        if (resampler != null) {
            flushResampler();
            resampler = null;
        }
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
        if (closed) return;
        closed = true;
        engineStream.close();
    }
}
