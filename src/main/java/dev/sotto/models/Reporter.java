package dev.sotto.models;

/**
 * How model operations tell the user what they do: one-line messages and byte progress. The
 * CLI draws them on stderr; the library itself never prints.
 */
public interface Reporter {
    /** A line worth showing (a download starting, a checksum recorded, a model installed). */
    void info(String message);

    /** Progress over {@code totalBytes} (-1 when unknown), closed when the work ends. */
    ByteProgress progress(String label, long totalBytes);

    interface ByteProgress extends AutoCloseable {
        void update(long doneBytes);

        @Override
        void close();
    }

    Reporter SILENT = new Reporter() {
        @Override
        public void info(String message) {
        }

        @Override
        public ByteProgress progress(String label, long totalBytes) {
            return new ByteProgress() {
                @Override
                public void update(long doneBytes) {
                }

                @Override
                public void close() {
                }
            };
        }
    };
}
