package dev.sotto.audio;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_double;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * Turns decoded frames of any format, rate and channel layout into 16 kHz mono float with
 * FFmpeg's resampler (libswresample, default quality, as the ffmpeg tool uses).
 *
 * <p>We drive swresample ourselves rather than through FFmpegFrameGrabber's built-in
 * conversion for three reasons: the grabber's float downmix sums channels at 0.707 each
 * (a stereo tone comes out 3 dB louder than either channel, and can exceed 1.0), whereas
 * we normalise the mix to an average like {@code ffmpeg -ac 1} does; the grabber never
 * flushes the resampler, dropping its last few milliseconds; and it does not follow a
 * change of input format in mid-stream.
 *
 * <p>Output goes into {@link #samples()}, valid until the next call; its size is bounded
 * by the largest frame, never by the length of the input.
 */
final class MonoConverter implements AutoCloseable {
    private final int outRate;
    private final AVChannelLayout mono = new AVChannelLayout();
    private final AVChannelLayout inLayout = new AVChannelLayout();
    private final PointerPointer<FloatPointer> outPlanes = new PointerPointer<>(1);
    private SwrContext swr;
    private int inFormat = -1;
    private int inRate = -1;
    private FloatPointer outBuf;
    private int outCapacity;
    private float[] samples = new float[0];
    private int count;

    MonoConverter(int outRate) {
        this.outRate = outRate;
        av_channel_layout_default(mono, 1);
    }

    /** Converts one decoded frame; the result is in {@link #samples()}[0, {@link #count()}). */
    void convert(AVFrame frame) {
        count = 0;
        if (changed(frame)) {
            drain(); // keep what the old configuration still buffers
            int drained = count;
            configure(frame);
            count = drained;
        }
        run(frame.extended_data(), frame.nb_samples());
    }

    /** Pushes out what the resampler still holds at end of input. */
    void flush() {
        count = 0;
        drain();
    }

    float[] samples() {
        return samples;
    }

    int count() {
        return count;
    }

    private boolean changed(AVFrame frame) {
        return swr == null || frame.format() != inFormat || frame.sample_rate() != inRate
                || av_channel_layout_compare(frame.ch_layout(), inLayout) != 0;
    }

    private void configure(AVFrame frame) {
        free();
        av_channel_layout_uninit(inLayout);
        av_channel_layout_copy(inLayout, frame.ch_layout());
        inFormat = frame.format();
        inRate = frame.sample_rate();
        // Without a channel layout (e.g. raw multichannel WAV) swresample cannot build a
        // downmix matrix: assume the usual layout for that many channels.
        AVChannelLayout layout = inLayout;
        AVChannelLayout guessed = null;
        if (inLayout.order() == AV_CHANNEL_ORDER_UNSPEC) {
            guessed = new AVChannelLayout();
            av_channel_layout_default(guessed, inLayout.nb_channels());
            layout = guessed;
        }
        try {
            swr = new SwrContext();
            int ret = swr_alloc_set_opts2(swr, mono, AV_SAMPLE_FMT_FLT, outRate,
                    layout, inFormat, inRate, 0, null);
            if (ret >= 0) {
                // Scale the downmix so its coefficients sum to 1: an average of the channels.
                ret = av_opt_set_double(swr, "rematrix_maxval", 1.0, 0);
            }
            if (ret >= 0) {
                ret = swr_init(swr);
            }
            if (ret < 0) {
                free();
                throw new IllegalStateException("cannot convert " + inLayout.nb_channels()
                        + " channels at " + inRate + " Hz to mono 16 kHz: " + Ffmpeg.describeError(ret));
            }
        } finally {
            if (guessed != null) {
                av_channel_layout_uninit(guessed);
                guessed.close();
            }
        }
    }

    private void drain() {
        if (swr == null) {
            return;
        }
        int before;
        do {
            before = count;
            run(null, 0);
        } while (count > before);
    }

    /** Converts {@code n} input samples (none: flush), appending to {@link #samples}. */
    private void run(PointerPointer<?> in, int n) {
        int room = swr_get_out_samples(swr, n);
        if (room <= 0) {
            return;
        }
        ensureCapacity(room);
        int got = swr_convert(swr, outPlanes.put(0, outBuf), room, in, n);
        if (got < 0) {
            throw new IllegalStateException("resampling failed: " + Ffmpeg.describeError(got));
        }
        if (count + got > samples.length) {
            samples = java.util.Arrays.copyOf(samples, Math.max(count + got, samples.length * 2));
        }
        outBuf.position(0).get(samples, count, got);
        count += got;
    }

    private void ensureCapacity(int n) {
        if (outCapacity < n) {
            if (outBuf != null) {
                outBuf.close();
            }
            outCapacity = Math.max(n, 4096);
            outBuf = new FloatPointer(outCapacity);
        }
    }

    private void free() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
    }

    @Override
    public void close() {
        free();
        av_channel_layout_uninit(inLayout);
        av_channel_layout_uninit(mono);
        inLayout.close();
        mono.close();
        outPlanes.close();
        if (outBuf != null) {
            outBuf.close();
            outBuf = null;
        }
    }
}
