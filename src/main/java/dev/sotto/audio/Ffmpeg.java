package dev.sotto.audio;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_ATTACHMENT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_DATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Small read-only helpers over FFmpeg structures, kept out of the decoder's logic. */
final class Ffmpeg {
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");

    private Ffmpeg() {
    }

    /** FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input". */
    static String describeError(int code) {
        byte[] buf = new byte[256];
        if (av_strerror(code, buf, buf.length) < 0) {
            return "error " + code;
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The AVERROR code inside a JavaCV exception message ("... error -1094995529: ..."), or 0. */
    static int errorCodeIn(String message) {
        Matcher m = message == null ? null : ERROR_CODE.matcher(message);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static String codecName(int codecId) {
        return avcodec_get_name(codecId).getString();
    }

    /** "mp3" for "mp3", "mov" for "mov,mp4,m4a,3gp,3g2,mj2". */
    static String formatName(AVFormatContext oc) {
        if (!isOpen(oc) || oc.iformat() == null || oc.iformat().isNull()) {
            return "unknown";
        }
        String name = oc.iformat().name().getString();
        int comma = name.indexOf(',');
        return comma < 0 ? name : name.substring(0, comma);
    }

    static boolean isOpen(AVFormatContext oc) {
        return oc != null && !oc.isNull();
    }

    /** What the file holds, e.g. "video (mpeg4), subtitle (subrip)"; "no streams" when empty. */
    static String streamList(AVFormatContext oc) {
        if (!isOpen(oc) || oc.nb_streams() == 0) {
            return "no streams";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(mediaType(st.codecpar().codec_type()))
                    .append(" (").append(codecName(st.codecpar().codec_id())).append(')');
        }
        return sb.toString();
    }

    static boolean hasAudioStream(AVFormatContext oc) {
        for (int i = 0; isOpen(oc) && i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                return true;
            }
        }
        return false;
    }

    private static String mediaType(int type) {
        switch (type) {
            case AVMEDIA_TYPE_AUDIO: return "audio";
            case AVMEDIA_TYPE_VIDEO: return "video";
            case AVMEDIA_TYPE_SUBTITLE: return "subtitle";
            case AVMEDIA_TYPE_DATA: return "data";
            case AVMEDIA_TYPE_ATTACHMENT: return "attachment";
            default: return "unknown";
        }
    }

    /**
     * The audio stream's length in seconds as the container gives it, NaN if it does not.
     * With {@code trustedOnly}, lengths FFmpeg merely estimates from the bit rate are left
     * out: they are guesses, not something a truncated file could contradict.
     */
    static double lengthSeconds(AVFormatContext oc, int streamIndex, boolean trustedOnly) {
        if (!isOpen(oc) || streamIndex < 0 || streamIndex >= oc.nb_streams()) {
            return Double.NaN;
        }
        if (trustedOnly && oc.duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE) {
            return Double.NaN;
        }
        AVStream st = oc.streams(streamIndex);
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
            AVRational tb = st.time_base();
            return st.duration() * (double) tb.num() / tb.den();
        }
        // Containers such as Matroska only give a total. With video it may not be the audio's
        // length: fine for an estimate, not for judging whether the audio was cut short.
        boolean audioOnly = oc.nb_streams() == 1;
        if ((audioOnly || !trustedOnly) && oc.duration() != AV_NOPTS_VALUE && oc.duration() > 0) {
            return oc.duration() / (double) AV_TIME_BASE;
        }
        return Double.NaN;
    }
}
