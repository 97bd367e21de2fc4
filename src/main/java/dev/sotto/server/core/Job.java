package dev.sotto.server.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One asynchronous job as the {@link JobStore} last saved it. A value: to see a later state, read
 * the job again from the store.
 *
 * @param id          a random UUID
 * @param kind        which API accepted the job, e.g. {@code "fal"}, {@code "nanogpt"}
 * @param endpoint    the endpoint the request named, e.g. {@code "fal-ai/nemotron/asr"}
 * @param params      the request parameters as JSON
 * @param audio       the job's audio file inside the data directory, or null for a job without one
 * @param fileName    the name the client gave its file (informative only, never used as a path), or null
 * @param fileSize    the audio size in bytes
 * @param state       where the job is in its life
 * @param attempts    how many runs of this job a stop of the server cut short (0 unless the server stopped mid-run)
 * @param result      the result JSON once completed, else null
 * @param errorStatus the HTTP status to answer the result request with once failed, else null
 * @param error       the error body JSON once failed, else null
 * @param logs        the lines the job logged, oldest first
 * @param createdAt   when the job was accepted (epoch millis)
 * @param startedAt   when its current run started (epoch millis), or null
 * @param finishedAt  when it completed, failed or was cancelled (epoch millis), or null
 */
public record Job(
        String id,
        String kind,
        String endpoint,
        String params,
        Path audio,
        String fileName,
        long fileSize,
        State state,
        int attempts,
        String result,
        Integer errorStatus,
        String error,
        List<LogLine> logs,
        long createdAt,
        Long startedAt,
        Long finishedAt) {

    public Job {
        logs = List.copyOf(logs);
    }

    /** The life of a job: queued, then running, then one of the three final states. */
    public enum State {
        QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

        /** The name stored in the database: the lower-case constant name, e.g. {@code "queued"}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the job has reached its end and will not change again. */
        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }

        static State of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One line of a job's log.
     *
     * @param timestamp when it was logged, ISO-8601 UTC (e.g. {@code 2025-01-31T12:00:00.123Z})
     * @param level     e.g. {@code "INFO"}, {@code "ERROR"}
     * @param message   the text
     */
    public record LogLine(String timestamp, String level, String message) {
    }
}
