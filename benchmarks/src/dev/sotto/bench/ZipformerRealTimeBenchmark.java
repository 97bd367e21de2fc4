package dev.sotto.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * Real-time factor of the shared streaming Zipformer on the 40 English clips of
 * ../shared/reference/sherpa-onnx-zipformer-outputs.jsonl (283.2 s of audio), CPU, one
 * thread, as sherpa-onnx's reference was measured (RTF about 0.018). One operation decodes
 * every clip, one stream after another, from samples already in memory: the score in
 * seconds divided by 283.2 is the RTF (the trial's end prints it too).
 *
 * <pre>benchmarks/run ZipformerRealTime -p beam=1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ZipformerRealTimeBenchmark {
    @Param({"1", "4"})
    public int beam;

    private Recognizer recognizer;
    private final List<float[]> clips = new ArrayList<>();
    private double audioSeconds;
    private double totalSeconds;
    private long operations;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path shared = Path.of(System.getProperty("sotto.shared", "../shared"));
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(shared.resolve("reference/sherpa-onnx-zipformer-outputs.jsonl"))) {
            float[] clip = read(shared.resolve("audio").resolve(json.readTree(line).get("path").asText()));
            clips.add(clip);
            audioSeconds += clip.length / 16000.0;
        }
        recognizer = Recognizer.create(RecognizerConfig.builder(
                        ModelConfig.builder(shared.resolve("models/zipformer-gigaspeech-3.3m")).build())
                .execution(ExecutionConfig.builder().device("cpu").threads(1).build())
                .decoding(DecodingConfig.builder().beamSize(beam).build())
                .build());
    }

    private static float[] read(Path file) {
        try (AudioDecoder in = AudioDecoder.open(file)) {
            float[] samples = new float[16000 * 60];
            int n = 0;
            for (int k; (k = in.read(samples, n, samples.length - n)) > 0; ) {
                n += k;
                if (n == samples.length) samples = Arrays.copyOf(samples, n * 2);
            }
            return Arrays.copyOf(samples, n);
        }
    }

    @Benchmark
    public int decodeAll() {
        long start = System.nanoTime();
        int tokens = 0;
        for (float[] clip : clips) {
            try (RecognitionStream stream = recognizer.createStream()) {
                stream.acceptWaveform(clip);
                stream.inputFinished();
                while (recognizer.isReady(stream)) recognizer.decode(stream);
                tokens += recognizer.getResult(stream).tokens().size();
            }
        }
        totalSeconds += (System.nanoTime() - start) / 1e9;
        operations++;
        return tokens;
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.printf("%nbeam %d: RTF %.4f over %.1f s of audio (mean of %d passes, warm-up included)%n", beam,
                totalSeconds / operations / audioSeconds, audioSeconds, operations);
        recognizer.close();
    }
}
