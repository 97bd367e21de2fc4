package dev.sotto.video;

/**
 * What a video may be: at most {@code maxSeconds} long and at most {@code maxLongSide} ×
 * {@code maxShortSide} pixels in either orientation. {@link #FAL} is fal's contract for
 * Nemotron 3 Nano Omni video: up to 2 minutes, up to 1080p.
 */
public record VideoLimits(double maxSeconds, int maxLongSide, int maxShortSide) {
    public static final VideoLimits FAL = new VideoLimits(120.0, 1920, 1080);

    /** Throws the {@link VideoProblem} for the first limit {@code info} breaks. */
    public void check(VideoInfo info) {
        if (info.durationSeconds() > maxSeconds + 0.05) {
            throw new VideoProblem(VideoProblem.Kind.TOO_LONG, String.format(java.util.Locale.ROOT,
                    "%s is %.1f s long; at most %.0f s (%s) are accepted: cut it shorter (e.g. ffmpeg -t %.0f)",
                    info.name(), info.durationSeconds(), maxSeconds, minutes(maxSeconds), maxSeconds));
        }
        int longSide = Math.max(info.width(), info.height());
        int shortSide = Math.min(info.width(), info.height());
        if (longSide > maxLongSide || shortSide > maxShortSide) {
            throw new VideoProblem(VideoProblem.Kind.TOO_LARGE, info.name() + " is " + info.width() + "x" + info.height()
                    + "; at most " + maxLongSide + "x" + maxShortSide + " (" + maxShortSide + "p, either orientation) is accepted: "
                    + "scale it down (e.g. ffmpeg -vf scale=-2:" + maxShortSide + ")");
        }
    }

    private static String minutes(double seconds) {
        return seconds % 60 == 0 ? (int) (seconds / 60) + " min" : seconds + " s";
    }
}
