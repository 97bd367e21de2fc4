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
    private final boolean batching;
    private final List<Member> members = new ArrayList<>();   // guarded by this
    private List<Member> decoding = List.of();                // the round being decoded, guarded by this
    private final Thread thread;
    private boolean closed;                                  // guarded by this

    /**
     * One stream being decoded: {@code onStep} runs on the decoding thread after each of its
     * steps; {@code idle} futures complete once it has no step ready (all its full chunks decoded).
     */
    private record Member(RecognitionStream stream, Consumer<RecognitionStream> onStep, CompletableFuture<Void> done,
                          List<CompletableFuture<Void>> idle) {
    }

    /** {@code batching} false decodes the ready streams one call each (to measure what batching buys). */
    public BatchScheduler(Recognizer recognizer, String name, boolean batching) {
        this.recognizer = recognizer;
        this.batching = batching;
        this.thread = new Thread(this::run, "sotto-decoder-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds a stream; the future completes once its input is finished and fully decoded. */
    public synchronized CompletableFuture<Void> add(RecognitionStream stream, Consumer<RecognitionStream> onStep) {
        if (closed) throw new ServeException(503, "shutting_down", null, "the server is shutting down");
        Member m = new Member(stream, onStep, new CompletableFuture<>(), new ArrayList<>());
        members.add(m);
        notifyAll();
        return m.done();
    }

    /**
     * Takes a stream out that will not be finished (its feeding failed, its client left) and
     * closes it, after the round decoding it, if one is under way, has ended: its native
     * caches must not be freed under the model.
     */
    public void release(RecognitionStream stream) {
        Member released = null;
        synchronized (this) {
            for (var it = members.iterator(); it.hasNext(); ) {
                Member m = it.next();
                if (m.stream() != stream) continue;
                it.remove();
                released = m;
                break;
            }
            while (decoding.stream().anyMatch(m -> m.stream() == stream)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        stream.close();
        // Completed last, without the lock: their callbacks may open or release streams (a session's next turn).
        if (released != null) {
            released.idle().forEach(f -> f.complete(null));
            released.done().cancel(false);
        }
    }

    /** Seconds of audio accepted but not yet decoded, the most any stream has: how far behind decoding is. */
    public synchronized double backlogSeconds() {
        double max = 0;
        for (Member m : members) max = Math.max(max, m.stream().secondsAccepted() - m.stream().secondsDecoded());
        return max;
    }

    /**
     * Completes once everything the stream has been given so far that can be decoded is decoded
     * (and its results delivered); audio short of a full chunk waits for more or for the end.
     */
    public synchronized CompletableFuture<Void> whenIdle(RecognitionStream stream) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Member m = members.stream().filter(x -> x.stream() == stream).findFirst().orElse(null);
        if (m == null) {
            f.complete(null);
        } else {
            m.idle().add(f);
            notifyAll();
        }
        return f;
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
            List<Member> ready;
            List<Runnable> finished = new ArrayList<>();
            synchronized (this) {
                while (true) {
                    if (closed) return;
                    ready = collect(finished);
                    if (!ready.isEmpty() || !finished.isEmpty()) break;
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            // Completions run without the lock: their callbacks may open or release streams.
            finished.forEach(Runnable::run);
            synchronized (this) {
                ready.removeIf(m -> !members.contains(m));
                if (ready.isEmpty()) continue;
                decoding = ready;
            }
            try {
                if (batching) {
                    recognizer.decode(ready.stream().map(Member::stream).toList());
                } else {
                    for (Member m : ready) recognizer.decode(m.stream());
                }
                for (Member m : ready) m.onStep().accept(m.stream());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "decoding failed: " + e.getMessage(), e);
                synchronized (this) {
                    members.removeAll(ready);
                }
                for (Member m : ready) {
                    m.done().completeExceptionally(e);
                    m.idle().forEach(f -> f.completeExceptionally(e));
                }
            }
            synchronized (this) {
                decoding = List.of();
                notifyAll();   // feeders waiting for progress, releases waiting for the round to end
            }
        }
    }

    /**
     * The streams with a step ready; drops those that are done and adds the completion of
     * their futures (and of idle waiters) to {@code finished}. Holds the lock.
     */
    private List<Member> collect(List<Runnable> finished) {
        List<Member> ready = new ArrayList<>();
        for (var it = members.iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (recognizer.isReady(m.stream())) {
                ready.add(m);
                continue;
            }
            List<CompletableFuture<Void>> idle = List.copyOf(m.idle());
            m.idle().clear();
            if (!idle.isEmpty()) finished.add(() -> idle.forEach(f -> f.complete(null)));
            if (recognizer.isDone(m.stream())) {
                it.remove();
                finished.add(() -> m.done().complete(null));
            }
        }
        return ready;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            ServeException stop = new ServeException(503, "shutting_down", null, "the server is shutting down");
            for (Member m : members) {
                m.done().completeExceptionally(stop);
                m.idle().forEach(f -> f.completeExceptionally(stop));
            }
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
