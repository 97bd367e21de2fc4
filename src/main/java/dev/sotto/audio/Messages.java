package dev.sotto.audio;

import java.util.Locale;

import dev.sotto.SottoException;

/**
 * Every user-facing text of this package, in one place so they stay consistent: each says
 * which input, what is wrong with it and what to do.
 */
final class Messages {
    static final String FORMATS = "WAV, FLAC, MP3, Ogg/Opus, M4A/AAC, WebM, or a video with sound (MP4, MKV, MOV)";

    private Messages() {
    }

    static SottoException notFound(String file, String cwd) {
        return new SottoException("Audio file not found: " + file
                + " (relative paths start from " + cwd + "). Check the path and spelling.");
    }

    static SottoException badPath(String file, String why) {
        return new SottoException("Not a valid file path: \"" + file + "\" (" + why + ").");
    }

    static SottoException isDirectory(String file) {
        return new SottoException(file + " is a directory, not an audio file. Pass one of the files inside it.");
    }

    static SottoException notReadable(String file) {
        return new SottoException("Cannot read " + file + ": permission denied. Check the file's permissions.");
    }

    static SottoException emptyFile(String file) {
        return new SottoException(file + " is empty (0 bytes): there is no audio in it."
                + " Check that it was written or downloaded completely.");
    }

    static SottoException emptyStream(String name) {
        return new SottoException(name + " is empty: no data arrived."
                + " Pipe an audio or video file into it.");
    }

    static SottoException notMedia(String name, String reason) {
        return new SottoException(name + " is not an audio or video file that FFmpeg can read"
                + reasonSuffix(reason) + ". Use " + FORMATS + ", and check that the file is not damaged.");
    }

    static SottoException looksLikeText(String name) {
        return new SottoException(name + " is not an audio or video file: it looks like text or unknown data."
                + " Use " + FORMATS + ".");
    }

    /** An MP4-family file whose index (moov atom) is missing or unreachable. */
    static SottoException missingIndex(String name, boolean stream) {
        String what = name + " is an MP4/M4A/MOV file whose index (moov atom) "
                + (stream ? "comes after the audio data" : "is missing");
        String fix = stream
                ? ". Read from a pipe, such a file needs its index at the start: pass it by path instead,"
                        + " or rewrite it with `ffmpeg -i in.m4a -c copy -movflags +faststart out.m4a`."
                : ": the file was cut short or is still being written. Re-create or re-download it.";
        return new SottoException(what + fix);
    }

    /** A stream FFmpeg opened as audio but without a sample rate or channels: not audio at all. */
    static SottoException noSoundParameters(String name, String container, int rate, int channels) {
        return new SottoException(name + " is not an audio or video file that FFmpeg can read: read as " + container
                + ", its audio has " + rate + " Hz and " + channels + " channels. Use " + FORMATS
                + ", and check that the file is not damaged.");
    }

    static SottoException noSamples(String name) {
        return new SottoException(name + ": no audio samples could be decoded (0.0 s: the audio is empty or not audio)."
                + " Check that it was recorded, written or downloaded completely.");
    }

    static SottoException noAudio(String name, String streams) {
        return new SottoException(name + " has no audio stream (it contains: " + streams + ")."
                + " Pass a recording with sound, or check that the right file was chosen.");
    }

    static SottoException cannotDecode(String name, String streams, String reason) {
        return new SottoException(name + ": this FFmpeg build cannot decode its audio (streams: " + streams + ")"
                + reasonSuffix(reason) + ". Convert it first, e.g. `ffmpeg -i <input> -ar 16000 -ac 1 out.wav`.");
    }

    static SottoException readFailed(String name, double seconds, String reason) {
        return new SottoException("Reading " + name + " failed after " + time(seconds) + " of audio"
                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")
                + ". Check the disk, network share or program that supplies it.");
    }

    static SottoException decodeFailed(String name, double seconds, String reason) {
        return new SottoException("Decoding " + name + " failed after " + time(seconds) + " of audio"
                + reasonSuffix(reason) + ". The file is probably damaged: re-create it or convert it"
                + " with `ffmpeg -i <input> -ar 16000 -ac 1 out.wav`.");
    }

    static String damaged(String name, double seconds, String reason) {
        return name + ": damaged data at " + time(seconds) + reasonSuffix(reason)
                + "; decoding goes on, but audio near that point may be missing or distorted.";
    }

    static String damagedTotal(String name, int errors, double firstAt) {
        return name + ": FFmpeg reported " + errors + " decoding errors in all (the first at " + time(firstAt)
                + "); parts of the audio may be missing or distorted. Re-create the file if you can.";
    }

    static String truncated(String name, double decoded, double declared) {
        return name + ": the audio ends at " + time(decoded) + " but the file declares " + time(declared)
                + "; it seems truncated, and everything after " + time(decoded) + " is missing.";
    }

    static String time(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String reasonSuffix(String reason) {
        return reason == null || reason.isBlank() ? "" : " (FFmpeg: " + reason + ")";
    }
}
