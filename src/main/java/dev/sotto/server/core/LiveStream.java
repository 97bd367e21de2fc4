package dev.sotto.server.core;

import dev.sotto.engine.Result;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One live audio stream on a loaded model, as the WebSocket protocols use it: audio is
 * accepted as it arrives (at any rate), the model's {@link BatchScheduler} decodes it
 * together with every other stream, and each decoding step's result goes to the listener
 * (on the decoding thread) with the stream it came from: a session that replaced its stream
 * (a new context, a new turn) can tell a late step of the old one from the new one's. {@link #finish()} ends the input; {@link #drain()} waits until
 * everything decodable so far is decoded. Not for several feeding threads at once.
 */
public final class LiveStream implements AutoCloseable {
    private final Recognizer recognizer;
    private final BatchScheduler scheduler;
    private final RecognitionStream stream;
    private final CompletableFuture<Void> done;
    private volatile long lastAudioNanos = System.nanoTime();
    private volatile long chunkReadyNanos;     // when the audio completing the pending chunk arrived; 0 if none
    private boolean closed;

    LiveStream(Recognizer recognizer, BatchScheduler scheduler, RecognitionStream stream, BiConsumer<LiveStream, Result> onStep) {
        this.recognizer = recognizer;
        this.scheduler = scheduler;
        this.stream = stream;
        this.done = scheduler.add(stream, s -> onStep.accept(this, recognizer.getResult(s)));
    }

    /** Samples in [-1, 1] at {@code sampleRate} (resampled to 16 kHz when it differs). */
    public void accept(float[] samples, int sampleRate) {
        lastAudioNanos = System.nanoTime();
        stream.acceptWaveform(samples, sampleRate);
        if (chunkReadyNanos == 0 && recognizer.isReady(stream)) chunkReadyNanos = lastAudioNanos;
        scheduler.wake();
    }

    /**
     * Nanoseconds since the audio that completed the chunk just decoded arrived (0 when
     * unknown), then forgets it: call it from the step listener to measure latency.
     */
    public long takeChunkLatencyNanos() {
        long t = chunkReadyNanos;
        chunkReadyNanos = recognizer.isReady(stream) ? System.nanoTime() : 0;
        return t == 0 ? 0 : System.nanoTime() - t;
    }

    /** Completes once every full chunk given so far is decoded and its result delivered. */
    public CompletableFuture<Void> drain() {
        return scheduler.whenIdle(stream);
    }

    /** Ends the input; completes with the final result once everything is decoded. */
    public CompletableFuture<Result> finish() {
        stream.inputFinished();
        scheduler.wake();
        return done.thenApply(v -> recognizer.getResult(stream));
    }

    public Result result() {
        return recognizer.getResult(stream);
    }

    /** Seconds of audio accepted and not yet decoded. */
    public double backlogSeconds() {
        return stream.secondsAccepted() - stream.secondsDecoded();
    }

    public double secondsAccepted() {
        return stream.secondsAccepted();
    }

    public long idleNanos() {
        return System.nanoTime() - lastAudioNanos;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        scheduler.release(stream);
    }
}
