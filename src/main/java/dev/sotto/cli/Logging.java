package dev.sotto.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** java.util.logging to stderr, one line per message: {@code sotto: warning: ...}. */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler handler = new ConsoleHandler();   // writes to System.err
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String level = r.getLevel() == Level.SEVERE ? "error"
                        : r.getLevel() == Level.WARNING ? "warning" : "info";
                String line = "sotto: " + level + ": " + formatMessage(r);
                Throwable thrown = r.getThrown();
                if (thrown == null) return line + System.lineSeparator();
                if (!verbose) return line + ": " + thrown + System.lineSeparator();
                java.io.StringWriter trace = new java.io.StringWriter();
                thrown.printStackTrace(new java.io.PrintWriter(trace));
                return line + System.lineSeparator() + trace;
            }
        });
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.sotto").setLevel(level);
    }
}
