package dev.sotto.transcribe;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.engine.Result;
import java.util.function.Consumer;

/**
 * The loop every command runs: audio → one stream → decode as chunks become ready → final
 * result. Audio decoding (FFmpeg) and the front end run on a feeding thread while this
 * thread runs the model, so on two or more cores they overlap with ONNX Runtime instead of
 * adding to it. The feeder pauses when it is more than {@value #AHEAD_SECONDS} s ahead of
 * decoding and the stream has a step ready to decode (so it never waits on a model that
 * needs more audio, like Whisper's 30 s windows): memory does not grow with the input.
 * It then waits until decoding has come within {@value #RESUME_SECONDS} s, so it is woken
 * about once per second of audio rather than after every chunk (each wake is a system call
 * on both threads: 0.15 s of CPU over 14 minutes of 320 ms chunks).
 */
public final class Decoding {
    static final double AHEAD_SECONDS = 5.0;
    static final double RESUME_SECONDS = 4.0;

    /** The final result, the seconds of audio it covers, and the wall time it took. */
    public record Outcome(Result result, double audioSeconds, double wallSeconds) {
    }

    private Decoding() {
    }

    /** {@code onStep} runs after every decoding step (for progress bars and partial results). */
    public static Outcome run(Recognizer recognizer, AudioDecoder audio, Consumer<RecognitionStream> onStep) {
        return run(recognizer, audio, onStep, null);
    }

    /** Receives every piece of audio as it is fed (on the feeding thread): {@code samples[0, count)}. */
    public interface AudioListener {
        void accept(float[] samples, int count);
    }

    /**
     * As {@link #run(Recognizer, AudioDecoder, Consumer)}, also handing each piece of audio to
     * {@code listener} (diarization reads the audio once with the recognizer); null for none.
     */
    public static Outcome run(Recognizer recognizer, AudioDecoder audio, Consumer<RecognitionStream> onStep,
                              AudioListener listener) {
        long start = System.nanoTime();
        try (RecognitionStream s = recognizer.createStream()) {
            Feeder feeder = new Feeder(audio, s, () -> recognizer.isReady(s), listener);
            Thread thread = new Thread(feeder, "sotto-feeder");
            thread.setDaemon(true);
            thread.start();
            try {
                while (true) {
                    if (recognizer.isReady(s)) {
                        recognizer.decode(s);
                        onStep.accept(s);
                        feeder.decoded();
                    } else if (!feeder.awaitMoreAudio()) {
                        break;
                    }
                }
                while (recognizer.isReady(s)) {   // what the last piece of audio made ready
                    recognizer.decode(s);
                    onStep.accept(s);
                }
            } finally {
                feeder.stop();
                join(thread);
            }
            feeder.rethrow();
            return new Outcome(recognizer.getResult(s), s.secondsAccepted(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads audio and feeds the stream, keeping a few seconds ahead of decoding. */
    private static final class Feeder implements Runnable {
        private final AudioDecoder audio;
        private final RecognitionStream stream;
        private final java.util.function.BooleanSupplier ready;
        private long fed;                 // pieces fed so far, guarded by this
        private long seen;                // pieces the decoding thread has seen, guarded by this
        private boolean finished;         // all audio fed (or failed), guarded by this
        private boolean stopped;          // the decoding thread gave up, guarded by this
        private boolean waiting;          // paused far enough ahead, guarded by this
        private final AudioListener listener;
        private RuntimeException failure;

        Feeder(AudioDecoder audio, RecognitionStream stream, java.util.function.BooleanSupplier ready, AudioListener listener) {
            this.audio = audio;
            this.stream = stream;
            this.ready = ready;
            this.listener = listener;
        }

        /** More than {@code seconds} ahead, with work waiting for the decoding thread. */
        private boolean ahead(double seconds) {
            return stream.secondsAccepted() - stream.secondsDecoded() > seconds && ready.getAsBoolean();
        }

        @Override
        public void run() {
            try {
                float[] buffer = new float[AudioDecoder.SAMPLE_RATE / 10];
                for (int n; (n = audio.read(buffer, 0, buffer.length)) > 0; ) {
                    if (listener != null) listener.accept(buffer, n);
                    stream.acceptWaveform(buffer, 0, n);
                    synchronized (this) {
                        fed++;
                        notifyAll();
                        if (!stopped && ahead(AHEAD_SECONDS)) {
                            waiting = true;
                            while (!stopped && ahead(RESUME_SECONDS)) wait();
                            waiting = false;
                        }
                        if (stopped) return;
                    }
                }
                stream.inputFinished();
            } catch (RuntimeException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (this) {
                    finished = true;
                    notifyAll();
                }
            }
        }

        /** Waits until more audio was fed; false when there will be none. */
        synchronized boolean awaitMoreAudio() {
            while (fed == seen && !finished) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SottoException("interrupted while decoding");
                }
            }
            boolean more = fed != seen;
            seen = fed;
            return more || !finished;
        }

        /** After a decoding step: wakes the feeder once decoding has come close enough. */
        synchronized void decoded() {
            if (waiting && !ahead(RESUME_SECONDS)) notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        void rethrow() {
            if (failure != null) throw failure;
        }
    }
}
