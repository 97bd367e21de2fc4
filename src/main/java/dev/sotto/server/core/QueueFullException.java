package dev.sotto.server.core;

/** {@link JobQueue#submit} refused a job because the queue already holds its maximum of queued jobs. */
public final class QueueFullException extends RuntimeException {
    private final int maxQueued;

    public QueueFullException(int maxQueued) {
        super("the job queue is full (" + maxQueued + " jobs waiting); try again later");
        this.maxQueued = maxQueued;
    }

    /** The limit that was reached. */
    public int maxQueued() {
        return maxQueued;
    }
}
