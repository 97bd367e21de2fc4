package dev.sotto.server.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The open live (WebSocket) sessions of the server: at most {@code --max-streams}, each
 * closed after {@code --stream-idle-s} without audio, and none admitted while decoding is
 * falling behind real time (some stream more than {@link #MAX_BACKLOG_SECONDS} s behind):
 * better to refuse a newcomer (close code 1013, "try again later") than to let every
 * stream drift.
 */
public final class LiveSessions implements AutoCloseable {
    /** Close code for "try again later" (RFC 6455 registry). */
    public static final int TRY_AGAIN_LATER = 1013;
    static final double MAX_BACKLOG_SECONDS = 2.0;

    /** What the registry needs of a session. */
    public interface Session {
        /** Seconds of audio received but not yet decoded. */
        double backlogSeconds();

        /** Nanoseconds since audio last arrived. */
        long idleNanos();

        /** Closes the session for being idle. */
        void expire();

        /** A client's message cut to 80 characters, for quoting it in an error event. */
        static String abbreviate(String message) {
            return message.length() <= 80 ? message : message.substring(0, 80) + "…";
        }
    }

    private final int max;
    private final Duration idle;
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sotto-idle-sweeper");
        t.setDaemon(true);
        return t;
    });

    public LiveSessions(int max, Duration idle) {
        this.max = max;
        this.idle = idle;
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Admits a session, or says why not (a reason for a 1013 close). */
    public synchronized String admit(Session s) {
        if (open.size() >= max) return "the server holds its maximum of " + max + " live streams (--max-streams): try again later";
        for (Session other : open) {
            if (other.backlogSeconds() > MAX_BACKLOG_SECONDS) {
                return "the server is not keeping up with its live streams in real time: try again later";
            }
        }
        open.add(s);
        return null;
    }

    public void leave(Session s) {
        open.remove(s);
    }

    public int count() {
        return open.size();
    }

    private void sweep() {
        long limit = idle.toNanos();
        for (Session s : open) {
            if (s.idleNanos() > limit) {
                open.remove(s);
                s.expire();
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Session s : open) s.expire();
        open.clear();
    }
}
