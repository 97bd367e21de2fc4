package dev.sotto.bench;

import dev.sotto.features.FrontEnd;
import dev.sotto.features.NemoMel;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Front-end throughput: one operation turns 10 s of 16 kHz audio into features, in 1600-sample
 * pieces as a stream would. ops/s x 10 = seconds of audio per second (real-time factor^-1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrontEndBenchmark {
    static final int SECONDS = 10;

    @Param({"nemo-mel-128", "nemo-mel-80"})
    public String frontEnd;

    private float[] audio;

    @Setup
    public void setup() {
        Random random = new Random(1);
        audio = new float[SECONDS * 16000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(i * 0.07) + 0.05 * random.nextGaussian());
        }
    }

    static FrontEnd create(String name) {
        return switch (name) {
            case "nemo-mel-128" -> new NemoMel(128);
            case "nemo-mel-80" -> new NemoMel(80);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Benchmark
    public int tenSecondsOfAudio() {
        FrontEnd f = create(frontEnd);
        int frames = 0;
        for (int pos = 0; pos < audio.length; pos += 1600) {
            f.accept(audio, pos, Math.min(1600, audio.length - pos));
            frames = f.framesReady();
            f.discardBefore(frames);
        }
        f.finish();
        return f.framesReady();
    }
}
