package dev.sotto.server.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the jobs of a {@link JobStore} on a fixed number of worker threads, oldest first. The store
 * is the truth: a job is saved before a worker hears of it, and each worker claims its job in the
 * database (queued to running) before running it, so a cancelled job is skipped and no job runs twice
 * at once. Jobs still queued at a stop, and jobs a stop cut short, run after the next {@link #start()}.
 *
 * <p>The queue does not own the store: close the store after the queue.
 */
public final class JobQueue implements AutoCloseable {
    /** Finished jobs are kept this long by default, then deleted with their audio. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** A job cut short by a stop this many times is failed instead of run again (it may be what crashes the server). */
    public static final int MAX_RUNS = 3;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(JobQueue.class.getName());

    private final JobStore store;
    private final int maxQueued;
    private final Duration ttl;
    private final JobRunner runner;
    private final ExecutorService workers;
    private final ScheduledExecutorService purger;
    private boolean started;
    private volatile boolean stopping;
    /** Set when {@link #shutdown} gave up waiting: runs that end in an exception after this are left for the next start. */
    private volatile boolean abandoned;

    /** A queue that keeps finished jobs for {@link #DEFAULT_TTL}. */
    public JobQueue(JobStore store, int workers, int maxQueued, JobRunner runner) {
        this(store, workers, maxQueued, DEFAULT_TTL, runner);
    }

    /**
     * @param workers   how many jobs run at once
     * @param maxQueued how many jobs may wait; {@link #submit} refuses more
     * @param ttl       how long finished jobs are kept before they and their audio are deleted
     */
    public JobQueue(JobStore store, int workers, int maxQueued, Duration ttl, JobRunner runner) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        if (maxQueued < 1) throw new IllegalArgumentException("maxQueued must be at least 1, not " + maxQueued);
        this.store = Objects.requireNonNull(store);
        this.maxQueued = maxQueued;
        this.ttl = Objects.requireNonNull(ttl);
        this.runner = Objects.requireNonNull(runner);
        this.workers = Executors.newFixedThreadPool(workers, daemonThreads("sotto-job-worker-"));
        this.purger = Executors.newSingleThreadScheduledExecutor(daemonThreads("sotto-job-purge-"));
    }

    /**
     * Re-queues the jobs a previous stop left running (they run again from the start), hands every
     * queued job to the workers in creation order, and starts the periodic purge.
     */
    public synchronized void start() {
        if (started || stopping) throw new IllegalStateException("the job queue was already started");
        started = true;
        int requeued = store.requeueRunning(MAX_RUNS);
        if (requeued > 0) LOG.info("re-queued " + requeued + " job(s) that were running when the server stopped");
        for (Job job : store.queued()) dispatch(job.id());
        purger.scheduleWithFixedDelay(this::purgeQuietly, 0, PURGE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Saves a new job and hands it to the workers (once started). The audio file, if any, is moved
     * into the store; it is left where it is when the job is refused.
     *
     * @throws QueueFullException    when {@code maxQueued} jobs are already waiting
     * @throws IllegalStateException after {@link #shutdown}
     */
    public synchronized Job submit(String kind, String endpoint, String paramsJson, Path audio, String fileName,
                                   long fileSize) {
        if (stopping) throw new IllegalStateException("the job queue is shut down");
        if (store.queuedCount() >= maxQueued) throw new QueueFullException(maxQueued);
        // Persist first: once saved, the job runs even if the server dies before a worker sees it.
        Job job = store.create(kind, endpoint, paramsJson, audio, fileName, fileSize);
        if (started) dispatch(job.id());
        return job;
    }

    /** Cancels a job that is still queued; false if it is running, finished or unknown. */
    public boolean cancel(String id) {
        return store.cancel(id);
    }

    /** The number of jobs waiting to run. */
    public int depth() {
        return store.queuedCount();
    }

    /** Whether {@link #shutdown} was called: the queue takes no new jobs. */
    public boolean isShutdown() {
        return stopping;
    }

    /** Deletes the jobs that finished more than the TTL ago, with their audio; returns how many. */
    public int purgeExpired() {
        return store.purgeFinishedBefore(System.currentTimeMillis() - ttl.toMillis());
    }

    /**
     * Stops taking jobs and waits up to {@code timeout} for the running ones to finish. Queued jobs
     * stay queued on disk. Jobs still running at the timeout are interrupted (and given a second to
     * leave); one that then ends in an exception stays "running" in the store and runs again after
     * the next start.
     *
     * @return true if every running job finished in time
     */
    public boolean shutdown(Duration timeout) {
        synchronized (this) {
            stopping = true;
        }
        purger.shutdownNow();
        workers.shutdown(); // the tasks still waiting see `stopping` and return without running their job
        if (awaitQuietly(timeout)) return true;
        abandoned = true;
        workers.shutdownNow();
        awaitQuietly(INTERRUPT_GRACE); // a runner that heeds the interrupt leaves now, before the store closes
        LOG.warning("job queue stopped with jobs still running; they run again after the next start");
        return false;
    }

    /** {@link #shutdown} with a 30 s wait. */
    @Override
    public void close() {
        shutdown(CLOSE_TIMEOUT);
    }

    private boolean awaitQuietly(Duration timeout) {
        try {
            return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void dispatch(String id) {
        workers.execute(() -> runOne(id));
    }

    private void runOne(String id) {
        try {
            // The claim in the database is what makes a cancelled or already taken job skip here.
            if (stopping || !store.markRunning(id)) return;
            Job job = store.find(id).orElseThrow();
            Outcome outcome;
            try {
                outcome = Objects.requireNonNull(runner.run(job, (level, message) -> store.log(id, level, message)),
                        "the job runner returned no outcome");
            } catch (Throwable e) { // an Error too: the job must not stay "running" until a restart
                if (abandoned) {
                    LOG.info("job " + id + " was cut short by the shutdown; it runs again after the next start");
                    return;
                }
                LOG.log(Level.WARNING, "job " + id + " failed", e);
                outcome = Outcome.failed(500, detail(e));
            }
            if (outcome instanceof Outcome.Completed c) {
                store.complete(id, c.resultJson());
            } else if (outcome instanceof Outcome.Failed f) {
                store.fail(id, f.httpStatus(), f.errorJson());
            }
        } catch (RuntimeException e) {
            // The store itself failed (disk full, closed): the job stays as the database has it.
            LOG.log(Level.SEVERE, "job " + id + ": cannot record its progress", e);
        }
    }

    /** {"detail": message}: the client sees the exception's message, never its stack trace. */
    private static String detail(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return JsonNodeFactory.instance.objectNode().put("detail", message).toString();
    }

    private void purgeQuietly() {
        // An exception would cancel the schedule for good, so it is logged and the next round tries again.
        try {
            int purged = purgeExpired();
            if (purged > 0) LOG.info("purged " + purged + " finished job(s) older than " + ttl);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot purge finished jobs", e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true); // a job still running must not keep the JVM alive after shutdown gave up on it
            return t;
        };
    }
}
