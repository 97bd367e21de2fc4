package dev.sotto.server.core;

/** How a {@link JobRunner} ended a job: completed with a result, or failed with an HTTP status and error body. */
public sealed interface Outcome {

    /** The job produced {@code resultJson}, the body of the result response. */
    record Completed(String resultJson) implements Outcome {
    }

    /** The job failed: the result request is answered with {@code httpStatus} and {@code errorJson}. */
    record Failed(int httpStatus, String errorJson) implements Outcome {
    }

    static Outcome completed(String resultJson) {
        return new Completed(resultJson);
    }

    static Outcome failed(int httpStatus, String errorJson) {
        return new Failed(httpStatus, errorJson);
    }
}
