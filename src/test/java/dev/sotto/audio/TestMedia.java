package dev.sotto.audio;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;

/** Encodes test media with FFmpegFrameRecorder: a sine tone, optionally with a video track. */
final class TestMedia {
    static final double AMPLITUDE = 0.5;
    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;
    private static final int FPS = 10;

    /** What to write; {@code videoCodec == null} for audio only, {@code channels == 0} for video only. */
    record Spec(String format, String audioCodec, int rate, int channels, String videoCodec,
                Map<String, String> options) {
        Spec {
            options = options == null ? Map.of() : options;
        }

        static Spec audio(String format, String codec, int rate, int channels) {
            return new Spec(format, codec, rate, channels, null, null);
        }

        static Spec video(String format, String videoCodec, String audioCodec, int rate, int channels) {
            return new Spec(format, audioCodec, rate, channels, videoCodec, null);
        }

        Spec with(Map<String, String> extra) {
            return new Spec(format, audioCodec, rate, channels, videoCodec, extra);
        }
    }

    private TestMedia() {
    }

    /** Writes {@code seconds} of a {@code freq} Hz tone (amplitude 0.5, gains per channel). */
    static Path write(Path file, Spec spec, double seconds, double freq, double... channelGains) throws Exception {
        FfmpegLog.install(); // keep the encoders quiet too
        if (!spec.format().equals("matroska") && !spec.format().equals("webm")) {
            return encode(file, spec, seconds, freq, channelGains);
        }
        // JavaCV 1.5.13's recorder leaves encoded audio packet durations in the codec's time
        // base; Matroska (1 ms units) then declares a wrong length. Copying packets rescales
        // them, so we encode to NUT first and copy into Matroska/WebM.
        Path nut = file.resolveSibling(file.getFileName() + ".nut");
        encode(nut, new Spec("nut", spec.audioCodec(), spec.rate(), spec.channels(), spec.videoCodec(), spec.options()),
                seconds, freq, channelGains);
        remux(nut, file, spec.format());
        java.nio.file.Files.delete(nut);
        return file;
    }

    /** Copies the packets of {@code from} into a new file of the given format. */
    static void remux(Path from, Path to, String format) throws Exception {
        FFmpegFrameGrabber in = new FFmpegFrameGrabber(from.toString());
        in.start();
        FFmpegFrameRecorder out = new FFmpegFrameRecorder(to.toString(), in.getImageWidth(), in.getImageHeight(),
                in.getAudioChannels());
        try {
            out.setFormat(format);
            out.start(in.getFormatContext());
            for (AVPacket p; (p = in.grabPacket()) != null; ) {
                out.recordPacket(p);
            }
            out.stop();
        } finally {
            out.release();
            in.release();
        }
    }

    private static Path encode(Path file, Spec spec, double seconds, double freq, double... channelGains)
            throws Exception {
        boolean video = spec.videoCodec() != null;
        FFmpegFrameRecorder r = video
                ? new FFmpegFrameRecorder(file.toString(), WIDTH, HEIGHT, spec.channels())
                : new FFmpegFrameRecorder(file.toString(), spec.channels());
        try {
            r.setFormat(spec.format());
            if (spec.channels() > 0) {
                r.setAudioCodec(AV_CODEC_ID_NONE);
                r.setAudioCodecName(spec.audioCodec());
                r.setSampleRate(spec.rate());
                r.setAudioBitrate(spec.rate() >= 32000 ? 96_000 : 32_000);
            }
            if (video) {
                r.setVideoCodecName(spec.videoCodec());
                r.setFrameRate(FPS);
                r.setVideoBitrate(100_000);
            }
            spec.options().forEach(r::setOption);
            r.start();
            int total = (int) Math.round(seconds * spec.rate());
            int frames = video ? (int) Math.round(seconds * FPS) : 0;
            int step = video ? spec.rate() / FPS : 4096;
            int written = 0;
            for (int f = 0; written < total || f < frames; f++) {
                if (f < frames) {
                    r.record(picture(f));
                }
                int n = Math.min(step, total - written);
                if (spec.channels() > 0 && n > 0) {
                    r.recordSamples(spec.rate(), spec.channels(), tone(written, n, spec, freq, channelGains));
                    written += n;
                } else if (spec.channels() == 0) {
                    written = total; // video only: the frame count decides
                }
            }
            r.stop();
        } finally {
            r.release();
        }
        return file;
    }

    private static FloatBuffer tone(int start, int n, Spec spec, double freq, double[] gains) {
        int ch = spec.channels();
        float[] interleaved = new float[n * ch];
        for (int i = 0; i < n; i++) {
            double v = AMPLITUDE * Math.sin(2 * Math.PI * freq * (start + i) / spec.rate());
            for (int c = 0; c < ch; c++) {
                double gain = gains.length == 0 ? 1 : gains[c];
                interleaved[i * ch + c] = (float) (v * gain);
            }
        }
        return FloatBuffer.wrap(interleaved);
    }

    private static Frame picture(int index) {
        Frame frame = new Frame(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3);
        java.nio.ByteBuffer pixels = (java.nio.ByteBuffer) frame.image[0];
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) (index * 7 + i));
        }
        return frame;
    }
}
