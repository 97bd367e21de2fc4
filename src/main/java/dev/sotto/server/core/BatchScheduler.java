package dev.sotto.server.core;

import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decodes every stream of one recognizer on one thread: each round gathers the streams
 * that have a step ready and advances them together in one batched {@link Recognizer#decode(List)}
 * call, so concurrent requests share model calls instead of queueing for them. Streams are
 * fed by their own threads (the requests); a stream leaves when its input is finished and
 * decoded, or when its decoding fails.
 */
public final class BatchScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchScheduler.class.getName());

    private final Recognizer recognizer;
    private final List<Member> members = new ArrayList<>();   // guarded by this
    private final Thread thread;
    private boolean closed;                                  // guarded by this

    /** One stream being decoded: {@code onStep} runs on the decoding thread after each of its steps. */
    private record Member(RecognitionStream stream, Consumer<RecognitionStream> onStep, CompletableFuture<Void> done) {
    }

    public BatchScheduler(Recognizer recognizer, String name) {
        this.recognizer = recognizer;
        this.thread = new Thread(this::run, "sotto-decoder-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds a stream; the future completes once its input is finished and fully decoded. */
    public synchronized CompletableFuture<Void> add(RecognitionStream stream, Consumer<RecognitionStream> onStep) {
        if (closed) throw new ServeException(503, "shutting_down", null, "the server is shutting down");
        Member m = new Member(stream, onStep, new CompletableFuture<>());
        members.add(m);
        notifyAll();
        return m.done();
    }

    /** Removes a stream that will not be finished (its feeding failed or its client left). */
    public synchronized void remove(RecognitionStream stream) {
        members.removeIf(m -> m.stream() == stream);
    }

    /** Says that a stream got audio or its end: the decoding thread looks again. */
    public synchronized void wake() {
        notifyAll();
    }

    /** Waits until the decoding thread made progress or {@code millis} passed (for feeders that are far ahead). */
    public synchronized void awaitProgress(long millis) throws InterruptedException {
        wait(millis);
    }

    public int activeStreams() {
        synchronized (this) {
            return members.size();
        }
    }

    private void run() {
        while (true) {
            List<Member> ready = new ArrayList<>();
            synchronized (this) {
                while (!closed && (ready = collect()).isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
            }
            try {
                recognizer.decode(ready.stream().map(Member::stream).toList());
                for (Member m : ready) m.onStep().accept(m.stream());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "decoding failed: " + e.getMessage(), e);
                synchronized (this) {
                    members.removeAll(ready);
                }
                for (Member m : ready) m.done().completeExceptionally(e);
            }
            synchronized (this) {
                notifyAll();   // feeders waiting for progress
            }
        }
    }

    /** The streams with a step ready; completes and drops those that are done. Holds the lock. */
    private List<Member> collect() {
        List<Member> ready = new ArrayList<>();
        for (var it = members.iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (recognizer.isReady(m.stream())) {
                ready.add(m);
            } else if (recognizer.isDone(m.stream())) {
                it.remove();
                m.done().complete(null);
            }
        }
        return ready;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Member m : members) m.done().completeExceptionally(new ServeException(503, "shutting_down", null,
                    "the server is shutting down"));
            members.clear();
            notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
