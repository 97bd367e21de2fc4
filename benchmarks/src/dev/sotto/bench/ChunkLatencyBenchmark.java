package dev.sotto.bench;

import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import java.util.concurrent.TimeUnit;
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
 * Per-chunk latency of a streaming model (SampleTime: p50/p90/p99): one operation hands the
 * stream one chunk of audio and decodes it (front end, encoder, search). The model comes
 * from -Dsotto.bench.model (a family directory or model directory; default: the synthetic
 * Nemotron family the build generates). Audio is a repeating tone pattern.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkLatencyBenchmark {
    @Param({"80", "160", "560", "1120"})
    public int chunkMs;

    private Recognizer recognizer;
    private RecognitionStream stream;
    private float[] chunk;
    private long chunks;

    @Setup(Level.Trial)
    public void load() {
        recognizer = BenchModel.load(chunkMs);
        chunk = new float[chunkMs * 16];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (float) (0.3 * Math.sin(2 * Math.PI * 1500 * i / 16000.0));
    }

    @Setup(Level.Iteration)
    public void newStream() {
        if (stream != null) stream.close();
        stream = recognizer.createStream();
        // prime the stream past the first window so every operation decodes exactly one chunk
        for (int i = 0; i < 3; i++) chunk();
    }

    @Benchmark
    public long chunk() {
        stream.acceptWaveform(chunk);
        while (recognizer.isReady(stream)) {
            recognizer.decode(stream);
            chunks++;
        }
        return chunks;
    }

    @TearDown(Level.Trial)
    public void close() {
        stream.close();
        recognizer.close();
    }
}
