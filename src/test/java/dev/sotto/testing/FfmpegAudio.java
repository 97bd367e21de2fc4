package dev.sotto.testing;

import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes any audio file to 16 kHz mono 16-bit samples with FFmpeg (as {@code ffmpeg -ar
 * 16000 -ac 1 -c:a pcm_s16le} does), returned as x / 32768. Test only, until the main
 * code's audio decoder lands.
 */
public final class FfmpegAudio {
    private FfmpegAudio() {
    }

    public static float[] read16kMono(Path file) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleRate(16000);
            grabber.setAudioChannels(1);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            grabber.start();
            float[] out = new float[1 << 16];
            int n = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null) continue;
                ShortBuffer b = (ShortBuffer) frame.samples[0];
                while (b.hasRemaining()) {
                    if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
                    out[n++] = b.get() / 32768f;
                }
            }
            return Arrays.copyOf(out, n);
        }
    }
}
