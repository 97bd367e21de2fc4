package dev.sotto.cli;

import dev.sotto.models.Reporter;

/** Model operations' messages and download bars on stderr (bars only on a terminal). */
final class CliReporter implements Reporter {
    @Override
    public void info(String message) {
        System.err.println("sotto: " + message);
    }

    @Override
    public ByteProgress progress(String label, long totalBytes) {
        Progress bar = new Progress(label, totalBytes < 0 ? Double.NaN : totalBytes, "B", Terminal.stderr());
        return new ByteProgress() {
            @Override
            public void update(long doneBytes) {
                bar.update(doneBytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
