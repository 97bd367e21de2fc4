package dev.sotto.bench;

import dev.sotto.testing.TestVideos;
import dev.sotto.video.FrameSampler;
import dev.sotto.video.SamplingConfig;
import dev.sotto.video.VideoInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The media work of fal's video endpoint before the model is asked: probing and picking 16
 * frames (one pass, scene detection, JPEG at 768 px) from a 2-minute video (fal's longest),
 * written by {@link TestVideos} in mpeg4 at the given size and 25 fps. One operation = one video.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class FrameSamplingBenchmark {
    @Param({"1280x720"})
    public String size;

    private Path dir;
    private Path video;

    @Setup
    public void write() throws Exception {
        String[] wh = size.split("x");
        dir = Files.createTempDirectory("sotto-bench-video");
        video = TestVideos.silent(dir.resolve("two-minutes.mp4"), Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 25, 120);
    }

    @TearDown
    public void delete() throws Exception {
        Files.deleteIfExists(video);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public int probeAndPickFrames() {
        VideoInfo info = VideoInfo.probe(video, "two-minutes.mp4");
        return FrameSampler.sample(video, info, SamplingConfig.DEFAULT).size();
    }
}
