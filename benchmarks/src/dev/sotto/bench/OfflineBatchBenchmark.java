package dev.sotto.bench;

import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Batched file decoding with an offline model (RTFx): one operation decodes every clip of
 * the synthetic Parakeet test set (the short ones whole, the long ones in pieces) as one
 * stream each, in one {@code Recognizer.decode(List)} call that packs {@code batchSize}
 * pieces per encoder call. Model: -Dsotto.bench.model (default the synthetic Parakeet TDT
 * v2 export), -Dsotto.bench.threads (default 1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class OfflineBatchBenchmark {
    @Param({"1", "4", "16"})
    public int batchSize;

    private Recognizer recognizer;
    private final List<float[]> clips = new ArrayList<>();

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
    public void load() throws IOException {
        Path model = Path.of(System.getProperty("sotto.bench.model", "target/test-models/parakeet/parakeet-tdt-v2"));
        recognizer = Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(model).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(Integer.getInteger("sotto.bench.threads", 1)).build())
                .decoding(DecodingConfig.builder().batchSize(batchSize).build())
                .build());
        Path audio = Path.of("target/test-models/parakeet/audio");
        for (String name : List.of("en-fox", "en-hello", "en-repeats", "en-long-tones", "en-stutter", "en-soft", "en-short",
                "en-long", "en-vad")) {
            clips.add(wav(audio.resolve(name + ".wav")));
        }
    }

    /** 16-bit mono PCM WAV samples (the synthetic clips), without FFmpeg. */
    static float[] wav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int n = (b.limit() - 44) / 2;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = b.getShort(44 + 2 * i) / 32768f;
        return out;
    }

    @Benchmark
    public int decodeAll(Audio counter) {
        List<RecognitionStream> streams = new ArrayList<>();
        for (float[] clip : clips) {
            RecognitionStream s = recognizer.createStream();
            s.acceptWaveform(clip);
            s.inputFinished();
            streams.add(s);
            counter.audioSeconds += clip.length / 16000.0;
        }
        recognizer.decode(streams);
        int tokens = 0;
        for (RecognitionStream s : streams) {
            tokens += recognizer.getResult(s).tokens().size();
            s.close();
        }
        return tokens;
    }

    @TearDown(Level.Trial)
    public void close() {
        recognizer.close();
    }
}
