package dev.sotto.video;

import dev.sotto.SottoException;

/**
 * A video that cannot be described: it is not a video FFmpeg reads, has no picture, or is
 * beyond the limits. {@link #kind()} says which, so a server can answer with a specific status
 * and error type; the message names the input and says what to do.
 */
public final class VideoProblem extends SottoException {
    /** What is wrong; {@link #type()} is the machine name an API reports. */
    public enum Kind {
        NOT_A_VIDEO("unsupported_video_format"),
        NO_VIDEO_STREAM("no_video_stream"),
        TOO_LONG("video_duration_too_long"),
        TOO_LARGE("video_resolution_too_large"),
        UNREADABLE("video_load_error");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    private final Kind kind;

    public VideoProblem(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
