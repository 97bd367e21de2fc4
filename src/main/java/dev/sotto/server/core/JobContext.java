package dev.sotto.server.core;

/** What a {@link JobRunner} may do with its job while it runs: add lines to the job's log. */
@FunctionalInterface
public interface JobContext {

    /** Appends a line to the job's log; it is saved at once, so status requests see it. */
    void log(String level, String message);

    default void info(String message) {
        log("INFO", message);
    }
}
