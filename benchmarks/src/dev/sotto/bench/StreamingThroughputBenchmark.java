package dev.sotto.bench;

import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Throughput (RTFx): one operation transcribes a whole clip through one stream; the
 * {@code audioSeconds} counter reports seconds of audio per second, i.e. the inverse
 * real-time factor. Model: -Dsotto.bench.model (default: the synthetic Nemotron family);
 * audio: -Dsotto.bench.audio (default: the synthetic 45 s clip).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StreamingThroughputBenchmark {
    @Param({"80", "160", "560", "1120"})
    public int chunkMs;

    private Recognizer recognizer;
    private float[] audio;

    /** Seconds of audio transcribed, per second: RTFx. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Audio {
        public double audioSeconds;

        @Setup(Level.Iteration)
        public void clear() {
            audioSeconds = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() {
        recognizer = BenchModel.load(chunkMs);
        String file = System.getProperty("sotto.bench.audio", "target/test-models/nemo-audio/en-long.wav");
        try (AudioDecoder in = AudioDecoder.open(file)) {
            float[] all = new float[16000 * 600];
            int n = 0;
            for (int r; (r = in.read(all, n, all.length - n)) > 0; ) n += r;
            audio = Arrays.copyOf(all, n);
        }
    }

    @Benchmark
    public int transcribe(Audio counter) {
        try (RecognitionStream s = recognizer.createStream()) {
            for (int pos = 0; pos < audio.length; pos += 16000) {
                s.acceptWaveform(audio, pos, Math.min(16000, audio.length - pos));
                while (recognizer.isReady(s)) recognizer.decode(s);
            }
            s.inputFinished();
            while (recognizer.isReady(s)) recognizer.decode(s);
            counter.audioSeconds += audio.length / 16000.0;
            return recognizer.getResult(s).tokens().size();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        recognizer.close();
    }
}
