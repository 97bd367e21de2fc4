package dev.sotto.audio;

import java.util.Set;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameGrabber;

import dev.sotto.SottoException;

/**
 * Works out why FFmpegFrameGrabber.start() failed. JavaCV's own message names a C function;
 * the user needs to know whether the input is not media at all, has no sound, or is damaged.
 * The grabber leaves its format context behind when the container opened, so we can look at
 * what it found.
 */
final class OpenFailure {
    private static final int ENOENT = -2;
    private static final int EACCES = -13;
    private static final int EISDIR = -21;
    /**
     * Demuxers that render text as pictures (ANSI art, BinText, XBin, ...). FFmpeg picks them
     * for .txt files and for data it cannot place otherwise; to the user that is "not media".
     */
    private static final Set<String> TEXT_ART = Set.of("tty", "bin", "xbin", "adf", "idf");

    private OpenFailure() {
    }

    static SottoException explain(String name, FFmpegFrameGrabber grabber, GuardedInputStream stream,
                                  Exception e, FfmpegLog.Capture log) {
        if (stream != null && stream.failure() != null) {
            return Messages.readFailed(name, 0, stream.failure().getMessage());
        }
        if (stream != null && stream.bytesRead() == 0) {
            return Messages.emptyStream(name);
        }
        int code = Ffmpeg.errorCodeIn(e.getMessage());
        // FFmpeg's log line is usually more precise than the bare error code.
        String reason = !log.summary().isEmpty() ? log.summary()
                : code != 0 ? Ffmpeg.describeError(code) : e.getMessage();
        if (reason.contains("moov atom not found")) {
            return Messages.missingIndex(name, stream != null);
        }
        AVFormatContext oc = grabber.getFormatContext();
        if (!Ffmpeg.isOpen(oc) && stream != null) {
            // After a failed probe JavaCV retries without the stream, taking its toString() for
            // a file name: the error code then says "no such file", which is meaningless here.
            return Messages.notMedia(name, log.summary());
        }
        if (!Ffmpeg.isOpen(oc)) { // the container itself could not be opened
            switch (code) {
                case ENOENT: return Messages.notFound(name, java.nio.file.Path.of("").toAbsolutePath().toString());
                case EACCES: return Messages.notReadable(name);
                case EISDIR: return Messages.isDirectory(name);
                default: return Messages.notMedia(name, reason);
            }
        }
        if (!Ffmpeg.isOpen(oc) || oc.nb_streams() == 0) {
            return Messages.notMedia(name, reason);
        }
        if (TEXT_ART.contains(Ffmpeg.formatName(oc))) {
            return Messages.looksLikeText(name);
        }
        if (!Ffmpeg.hasAudioStream(oc)) {
            return Messages.noAudio(name, Ffmpeg.streamList(oc));
        }
        return Messages.cannotDecode(name, Ffmpeg.streamList(oc), reason);
    }
}
