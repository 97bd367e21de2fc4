package dev.sotto.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

/**
 * Keeps FFmpeg quiet on stderr and hands its error lines to whoever is decoding.
 *
 * <p>FFmpeg logs through one process-wide callback. We raise its threshold to errors and
 * route each line to the {@link Capture} that the calling thread opened (demuxing and audio
 * decoding run on the thread that calls into FFmpeg), so the decoder can quote FFmpeg's
 * reason in its own message. Lines nobody is listening for go to java.util.logging at FINE.
 */
final class FfmpegLog {
    private static final Logger LOG = Logger.getLogger("dev.sotto.audio.ffmpeg");
    private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();
    /**
     * Error lines FFmpeg 8.0 logs for intact input. Its Opus parser reports every Opus
     * stream in Matroska/WebM as bad when flushed at the end (FFmpeg issue 20954, fixed
     * in 8.1); the audio is complete.
     */
    private static final java.util.Set<String> BENIGN = java.util.Set.of("Error parsing Opus packet header.");
    private static boolean installed;

    // Kept in a static field: native code holds the function pointer for the life of the process.
    private static LogCallback callback;

    private FfmpegLog() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        av_log_set_level(AV_LOG_ERROR);
        callback = new LogCallback() {
            @Override
            public void call(int level, BytePointer msg) {
                deliver(msg == null ? "" : msg.getString());
            }
        }.retainReference();
        setLogCallback(callback);
        installed = true;
    }

    private static void deliver(String raw) {
        String line = clean(raw);
        if (line.isEmpty()) {
            return;
        }
        Capture capture = CURRENT.get();
        if (capture != null && !BENIGN.contains(line)) {
            capture.add(line);
        } else {
            LOG.log(Level.FINE, "FFmpeg: {0}", line);
        }
    }

    /** Drops the "[mp3float @ 0x55d0c4a8]" context prefix and the trailing newline. */
    static String clean(String raw) {
        String s = raw.strip();
        if (s.startsWith("[")) {
            int end = s.indexOf("] ");
            if (end > 0 && s.substring(0, end).contains(" @ ")) {
                s = s.substring(end + 2).strip();
            }
        }
        return s;
    }

    /** Starts collecting the calling thread's FFmpeg error lines; close to stop. */
    static Capture capture() {
        Capture c = new Capture(CURRENT.get());
        CURRENT.set(c);
        return c;
    }

    /** The error lines FFmpeg logged while this capture was open (at most a few kept). */
    static final class Capture implements AutoCloseable {
        private static final int KEEP = 8;
        private final Capture outer;
        private final List<String> lines = new ArrayList<>();
        private int count;

        private Capture(Capture outer) {
            this.outer = outer;
        }

        private void add(String line) {
            count++;
            if (lines.size() < KEEP) {
                lines.add(line);
            }
        }

        int count() {
            return count;
        }

        String first() {
            return lines.isEmpty() ? null : lines.get(0);
        }

        /** The lines joined for a message, e.g. "moov atom not found"; empty when none. */
        String summary() {
            return String.join("; ", lines);
        }

        @Override
        public void close() {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
