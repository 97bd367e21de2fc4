package dev.sotto.spark;

import dev.sotto.recognizer.Recognizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * One recognizer per executor JVM and model: the first task that needs it loads it, every later
 * task of that JVM (concurrent ones too) shares it, and a shutdown hook closes it when the
 * executor exits. Tasks decode their own streams on it concurrently: ONNX Runtime sessions
 * run concurrent calls, and a stream keeps its decoding state to itself.
 */
final class Recognizers {
    private static final Logger LOG = Logger.getLogger(Recognizers.class.getName());
    private static final Map<ModelSpec, Loaded> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Recognizers::closeAll, "sotto-recognizers-close"));
    }

    /** A loaded recognizer and the seconds its load took (reported once, by the first task to ask). */
    record Loaded(Recognizer recognizer, double loadSeconds, java.util.concurrent.atomic.AtomicBoolean reported) {
        /** The load time the first time this is asked in this JVM, then 0: the rows' load_seconds add up to the loads. */
        double claimLoadSeconds() {
            return reported.compareAndSet(false, true) ? loadSeconds : 0;
        }
    }

    private Recognizers() {
    }

    /** This JVM's recognizer for {@code spec}, loaded on first use (a failed load is tried again by the next task). */
    static Loaded get(ModelSpec spec) {
        return LOADED.computeIfAbsent(spec, s -> {
            long start = System.nanoTime();
            Recognizer recognizer = Recognizer.create(s.config(ModelLocation.resolve(s)));
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info(() -> String.format(java.util.Locale.ROOT, "sotto: loaded model %s in %.2f s", recognizer.info().name(),
                    seconds));
            return new Loaded(recognizer, seconds, new java.util.concurrent.atomic.AtomicBoolean());
        });
    }

    static synchronized void closeAll() {
        for (Loaded l : LOADED.values()) l.recognizer().close();
        LOADED.clear();
    }
}
