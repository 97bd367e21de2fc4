package dev.sotto.cli;

/**
 * Whether stdout/stderr are terminals. Java 17 cannot ask, so the {@code ./sotto} launcher
 * tests {@code [ -t 1 ]} / {@code [ -t 2 ]} and passes {@code -Dsotto.stdoutTty} and
 * {@code -Dsotto.stderrTty}.
 */
final class Terminal {
    private Terminal() {
    }

    static boolean stderr() {
        return Boolean.getBoolean("sotto.stderrTty");
    }

    static boolean stdout() {
        return Boolean.getBoolean("sotto.stdoutTty");
    }
}
