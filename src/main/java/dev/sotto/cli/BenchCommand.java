package dev.sotto.cli;

import dev.sotto.SottoException;
import dev.sotto.eval.Bench;
import dev.sotto.eval.BenchPlot;
import dev.sotto.eval.BenchReport;
import dev.sotto.eval.Manifest;
import dev.sotto.engine.DecodingConfig;
import dev.sotto.recognizer.ExecutionConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sotto bench}: the chunk-size trade-off table, bench.json and bench.svg. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure WER, real-time factor and latencies for every chunk size of one or more models, "
                + "streaming each manifest utterance in real-time-sized pieces. Writes bench.json and bench.svg.")
final class BenchCommand implements Callable<Integer>, LoadsModels {
    @Option(names = "--model", required = true, arity = "1..*", paramLabel = "DIR|NAME",
            description = "Model directories or names; a directory of exports per chunk size gives one row per size.")
    List<String> models;

    @Option(names = "--manifest", required = true, paramLabel = "TSV", description = "Utterances (path, lang, reference).")
    Path manifest;

    @Option(names = "--lang", paramLabel = "L", description = "Only rows of this language.")
    String lang;

    @Option(names = "--chunk-ms", split = ",", paramLabel = "N", description = "Chunk sizes to measure, e.g. 80,160,560,1120 (default: all there are).")
    List<Integer> chunkMs = new ArrayList<>();

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N.")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Threads per session (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    GpuOptions gpu;

    @Option(names = "--beam-size", paramLabel = "N", defaultValue = "0", description = "As in transcribe.")
    int beamSize;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-out", description = "Where bench.json and bench.svg go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Manifest rows = lang == null ? Manifest.read(manifest) : Manifest.read(manifest, lang);
        ExecutionConfig execution = gpu.apply(ExecutionConfig.builder().device(device).threads(threads)).build();
        Bench.Plan plan = new Bench.Plan(ModelArguments.directories(models), chunkMs, rows, execution,
                DecodingConfig.builder().beamSize(beamSize).build());
        List<Bench.Row> result = new Bench(plan, message -> System.err.println("sotto: " + message)).run();
        if (result.isEmpty()) throw new SottoException("bench: nothing measured (no chunk size matched)");
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.json"), BenchReport.json(result, manifest.toString(), device, threads),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("bench.svg"), BenchPlot.svg(result), StandardCharsets.UTF_8);
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.print(BenchReport.table(result));
        System.err.println("sotto: wrote " + out.resolve("bench.json") + " and " + out.resolve("bench.svg"));
        return 0;
    }
}
