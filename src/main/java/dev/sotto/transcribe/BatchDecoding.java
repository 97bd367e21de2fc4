package dev.sotto.transcribe;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Several inputs decoded together, so their steps share encoder calls: one stream and one
 * feeding thread (FFmpeg) per input, and a decoding loop that waits until no stream is
 * still being fed without having a step ready, then decodes every ready stream in one
 * {@link Recognizer#decode(List)} call. For offline models a stream is ready once it has a
 * full batch of pieces or its input has ended, so short files are decoded in one batch and
 * long ones a batch of pieces at a time. A feeder pauses when it is more than
 * {@value Decoding#AHEAD_SECONDS} s ahead of decoding with a step ready: memory does not
 * grow with the inputs' length. An input that fails is reported on its own; the others go on.
 */
public final class BatchDecoding {
    /** One input's outcome, or why it failed. */
    public record Finished(Decoding.Outcome outcome, SottoException error) {
    }

    private BatchDecoding() {
    }

    public static List<Finished> run(Recognizer recognizer, List<AudioDecoder> inputs) {
        long start = System.nanoTime();
        Object lock = new Object();
        List<RecognitionStream> streams = new ArrayList<>();
        List<Feeder> feeders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (AudioDecoder audio : inputs) {
                RecognitionStream s = recognizer.createStream();
                streams.add(s);
                Feeder f = new Feeder(audio, s, recognizer, lock);
                feeders.add(f);
                Thread t = new Thread(f, "sotto-feeder-" + feeders.size());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            decodeAll(recognizer, streams, feeders, lock);
            List<Finished> out = new ArrayList<>();
            double wall = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < streams.size(); i++) {
                Feeder f = feeders.get(i);
                out.add(f.failure != null ? new Finished(null, f.failure)
                        : new Finished(new Decoding.Outcome(recognizer.getResult(streams.get(i)),
                                streams.get(i).secondsAccepted(), wall), null));
            }
            return out;
        } finally {
            synchronized (lock) {
                for (Feeder f : feeders) f.stopped = true;
                lock.notifyAll();
            }
            for (Thread t : threads) join(t);
            streams.forEach(RecognitionStream::close);
        }
    }

    private static void decodeAll(Recognizer recognizer, List<RecognitionStream> streams, List<Feeder> feeders, Object lock) {
        while (true) {
            List<RecognitionStream> ready = new ArrayList<>();
            synchronized (lock) {
                while (true) {
                    ready.clear();
                    boolean feeding = false;
                    boolean open = false;
                    for (int i = 0; i < streams.size(); i++) {
                        Feeder f = feeders.get(i);
                        if (f.failure != null) continue;
                        RecognitionStream s = streams.get(i);
                        if (recognizer.isReady(s)) {
                            ready.add(s);
                        } else if (!f.finished) {
                            feeding = true;
                        }
                        if (!recognizer.isDone(s)) open = true;
                    }
                    if (!ready.isEmpty() && !feeding) break;
                    if (!open || (!feeding && ready.isEmpty())) return;
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SottoException("interrupted while decoding");
                    }
                }
            }
            recognizer.decode(ready);
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one input into its stream; state is guarded by the shared lock. */
    private static final class Feeder implements Runnable {
        private final AudioDecoder audio;
        private final RecognitionStream stream;
        private final Recognizer recognizer;
        private final Object lock;
        boolean finished;
        boolean stopped;
        SottoException failure;

        Feeder(AudioDecoder audio, RecognitionStream stream, Recognizer recognizer, Object lock) {
            this.audio = audio;
            this.stream = stream;
            this.recognizer = recognizer;
            this.lock = lock;
        }

        @Override
        public void run() {
            try {
                float[] buffer = new float[AudioDecoder.SAMPLE_RATE / 10];
                for (int n; (n = audio.read(buffer, 0, buffer.length)) > 0; ) {
                    stream.acceptWaveform(buffer, 0, n);
                    synchronized (lock) {
                        lock.notifyAll();
                        while (!stopped && ahead()) lock.wait();
                        if (stopped) return;
                    }
                }
                stream.inputFinished();
            } catch (SottoException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new SottoException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (lock) {
                    finished = true;
                    lock.notifyAll();
                }
            }
        }

        private boolean ahead() {
            return stream.secondsAccepted() - stream.secondsDecoded() > Decoding.AHEAD_SECONDS && recognizer.isReady(stream);
        }
    }
}
