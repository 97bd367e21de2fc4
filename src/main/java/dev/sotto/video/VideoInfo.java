package dev.sotto.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * What FFmpeg says a video file holds, read from its header (nothing is decoded):
 * length, picture size and rate, container and codec, whether it has sound.
 *
 * @param name            the name messages use (a file name or the URL it came from)
 * @param durationSeconds the declared length
 * @param width           picture width in pixels
 * @param height          picture height in pixels
 * @param frameRate       frames per second as declared (0 when unknown)
 * @param container       FFmpeg's demuxer, e.g. "mov" for mp4/mov
 * @param codec           the video codec, e.g. "h264"
 * @param hasAudio        whether there is an audio stream to transcribe
 */
public record VideoInfo(String name, double durationSeconds, int width, int height, double frameRate, String container,
                        String codec, boolean hasAudio) {
    /** Demuxers that open things that are not videos (text as ANSI art, single pictures). */
    private static final Set<String> NOT_VIDEO_FORMATS = Set.of("tty", "image2", "png_pipe", "jpeg_pipe", "webp_pipe",
            "gif_pipe", "bmp_pipe", "tiff_pipe", "svg_pipe");

    /**
     * Reads the header of {@code file}. Fails with a {@link VideoProblem}: NOT_A_VIDEO when
     * FFmpeg cannot open it as a video, NO_VIDEO_STREAM when it holds only sound (or a cover picture).
     */
    public static VideoInfo probe(Path file, String name) {
        if (!Files.isRegularFile(file)) throw new VideoProblem(VideoProblem.Kind.UNREADABLE, name + ": no such file");
        av_log_set_level(AV_LOG_ERROR);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber("file:" + file.toAbsolutePath());
        try {
            try {
                grabber.start();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw notAVideo(name, "FFmpeg cannot read it (" + firstLine(e.getMessage()) + ")");
            }
            return describe(grabber, name);
        } finally {
            close(grabber);
        }
    }

    /** The info of a grabber that has been started. */
    static VideoInfo describe(FFmpegFrameGrabber grabber, String name) {
        AVFormatContext oc = grabber.getFormatContext();
        String format = oc == null || oc.iformat() == null ? "unknown" : oc.iformat().name().getString();
        String container = format.contains(",") ? format.substring(0, format.indexOf(',')) : format;
        if (NOT_VIDEO_FORMATS.contains(container)) {
            throw notAVideo(name, "FFmpeg reads it as " + container + ", not as a video");
        }
        if (!grabber.hasVideo() || isCoverPicture(oc, grabber.getVideoStream())) {
            throw new VideoProblem(VideoProblem.Kind.NO_VIDEO_STREAM, name + " has no video stream (" + container
                    + (grabber.hasAudio() ? ", sound only" : "") + "): send a video with pictures (mp4, mov, webm, mkv ...)");
        }
        double seconds = grabber.getLengthInTime() / 1e6;
        if (!(seconds > 0)) {
            throw notAVideo(name, "it does not say how long it is (a live stream or a damaged file)");
        }
        String codec = grabber.getVideoCodecName();
        return new VideoInfo(name, seconds, grabber.getImageWidth(), grabber.getImageHeight(), grabber.getFrameRate(),
                container, codec == null ? "unknown" : codec, grabber.hasAudio());
    }

    private static boolean isCoverPicture(AVFormatContext oc, int index) {
        if (oc == null || index < 0 || index >= oc.nb_streams()) return false;
        AVStream st = oc.streams(index);
        return (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
    }

    private static VideoProblem notAVideo(String name, String why) {
        return new VideoProblem(VideoProblem.Kind.NOT_A_VIDEO, name + " is not a video: " + why
                + "; send a video file (mp4, mov, webm, mkv ...)");
    }

    static String firstLine(String s) {
        if (s == null) return "no reason given";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    static void close(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // nothing was allocated, or it is gone already
        }
    }

    /** e.g. "12.0 s, 1280x720 h264 at 30 fps (mov), with sound". */
    public String summary() {
        return String.format(Locale.ROOT, "%.1f s, %dx%d %s at %.3g fps (%s), %s", durationSeconds, width, height, codec,
                frameRate, container, hasAudio ? "with sound" : "no sound");
    }
}
