package dev.sotto.audio;

import org.junit.jupiter.api.Test;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** FFmpeg's log goes to our callback (never stderr), errors only, to the thread that asked. */
class FfmpegLogTest {
    @Test
    void errorLinesReachTheCaptureAndNothingElse() {
        FfmpegLog.install();
        assertEquals(AV_LOG_ERROR, av_log_get_level());
        try (FfmpegLog.Capture outer = FfmpegLog.capture()) {
            try (FfmpegLog.Capture inner = FfmpegLog.capture()) {
                av_log(null, AV_LOG_WARNING, "chatter below the threshold\n");
                av_log(null, AV_LOG_ERROR, "first problem\n");
                av_log(null, AV_LOG_ERROR, "Error parsing Opus packet header.\n"); // FFmpeg 8.0 noise
                av_log(null, AV_LOG_ERROR, "second problem\n");
                assertEquals(2, inner.count());
                assertEquals("first problem", inner.first());
                assertEquals("first problem; second problem", inner.summary());
            }
            av_log(null, AV_LOG_ERROR, "after the inner one closed\n");
            assertEquals(1, outer.count());
        }
    }

    @Test
    void stripsTheContextPrefix() {
        assertEquals("Header missing", FfmpegLog.clean("[mp3float @ 0x55d0c4a8e540] Header missing\n"));
        assertEquals("[not a prefix] text", FfmpegLog.clean("[not a prefix] text"));
    }
}
