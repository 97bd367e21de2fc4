package dev.sotto.server.core;

/**
 * Does the work of one job on a {@link JobQueue} worker thread. The same job may be run again from
 * the start if the server stopped while it ran, so a runner must not depend on an earlier run.
 */
@FunctionalInterface
public interface JobRunner {

    /**
     * Runs {@code job} to its end. An exception fails the job with HTTP 500 and the body
     * {@code {"detail": "<exception message>"}}, so its message must make sense to the client.
     */
    Outcome run(Job job, JobContext context) throws Exception;
}
