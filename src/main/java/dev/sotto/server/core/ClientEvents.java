package dev.sotto.server.core;

import java.util.ArrayDeque;

/**
 * The client events of one live session (audio, control messages), run in arrival order and
 * held back while the session ends a stream: what a client sends after an end of stream or a
 * commit belongs to the next stream, which the session opens only once the last one is
 * decoded. Events run on the thread that submits them, held ones on the thread that releases.
 */
public final class ClientEvents {
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();   // guarded by this
    private boolean holding;                                        // guarded by this
    private boolean draining;                                       // guarded by this

    /** Runs {@code event} now, or after the events held before it. */
    public void submit(Runnable event) {
        synchronized (this) {
            if (holding || draining || !held.isEmpty()) {
                held.add(event);
                return;
            }
        }
        event.run();
    }

    /** Holds every event submitted from now on until {@link #release()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** Runs the held events in order on this thread, until one of them holds again. */
    public void release() {
        synchronized (this) {
            holding = false;
            if (draining) return;
            draining = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                if (holding || held.isEmpty()) {
                    draining = false;
                    return;
                }
                next = held.poll();
            }
            next.run();
        }
    }
}
