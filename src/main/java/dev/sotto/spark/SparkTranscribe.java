package dev.sotto.spark;

import dev.sotto.SottoException;
import dev.sotto.models.ModelResolver;
import dev.sotto.models.ModelSettings;
import dev.sotto.models.Reporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark entry point: {@code spark-submit --class dev.sotto.spark.SparkTranscribe sotto-spark.jar ...}
 * on a cluster, {@code ./sotto spark --master local[N] ...} on one machine (Spark's jars from Maven).
 */
@Command(name = "sotto spark", mixinStandardHelpOptions = true, version = "sotto 0.1.0",
        description = "Transcribe the files of a manifest on Apache Spark: one recognizer per executor JVM, a row per file "
                + "(Parquet or JSON lines); files already in --out are skipped.")
public final class SparkTranscribe implements Callable<Integer> {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (local[N], yarn, spark://..., k8s://...). Default: spark-submit's, else local[*].")
    String master;

    @Option(names = "--manifest", required = true, paramLabel = "M",
            description = "CSV/TSV with a header, or Parquet, with a path column (paths relative to the manifest's "
                    + "directory, absolute, file:, hdfs://, s3a://...); or a directory: every file under it.")
    String manifest;

    @Option(names = "--path-column", paramLabel = "NAME", defaultValue = "path",
            description = "The manifest's column of audio paths (default: ${DEFAULT-VALUE}).")
    String pathColumn;

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "Model directory every executor sees (shared storage, or shipped with --archives M.tgz#DIRNAME), "
                    + "or a model name (each machine's model cache, pulled on first use).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory (a path or a Hadoop URI); rows are appended, files already there skipped.")
    String out;

    @Option(names = "--format", paramLabel = "F", defaultValue = "parquet",
            description = "parquet or jsonl (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "4",
            description = "Files decoded together per task: their steps share encoder calls where the family batches "
                    + "(default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ONNX Runtime threads per session; tasks run in parallel on the executor's cores "
                    + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Tasks to split the files into (default: --files-per-task files each, at least one per core).")
    int partitions;

    @Option(names = "--files-per-task", paramLabel = "N", defaultValue = "32",
            description = "Files per task when --partitions is not given (default: ${DEFAULT-VALUE}).")
    int filesPerTask;

    @Option(names = "--chunk-ms", paramLabel = "N", description = "Chunk size in ms (streaming models with several).")
    int chunkMs;

    @Option(names = "--language", paramLabel = "L", defaultValue = "auto",
            description = "auto, or a language the model knows (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--beam-size", paramLabel = "N", defaultValue = "0",
            description = "1 = greedy; more = beam search; 0 = the family's default.")
    int beamSize;

    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "cpu, auto, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        quietLogs();
        CommandLine cli = new CommandLine(new SparkTranscribe());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            Throwable cause = rootSotto(e);
            if (cause instanceof SottoException) {
                err.println("sotto: " + cause.getMessage());
                if (System.getenv("SOTTO_DEBUG") != null) e.printStackTrace(err);
                return 1;
            }
            err.println("sotto: " + e + " (set SOTTO_DEBUG=1 for the stack trace)");
            if (System.getenv("SOTTO_DEBUG") != null) e.printStackTrace(err);
            return 70;
        });
        return cli.execute(args);
    }

    /**
     * Spark logs through SLF4J to java.util.logging here (as the rest of Sotto): warnings only, Sotto's own
     * lines at INFO. On a cluster, Spark's log4j configuration rules instead.
     */
    static void quietLogs() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");   // one line each
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("dev.sotto").setLevel(java.util.logging.Level.INFO);
    }

    /** Spark wraps a task's exception: the first SottoException in the chain is what the user needs to read. */
    private static Throwable rootSotto(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SottoException) return t;
        return e;
    }

    @Override
    public Integer call() {
        TranscribeJob.Format fmt = TranscribeJob.Format.parse(format);
        if (batchSize < 1) throw new SottoException("--batch-size must be at least 1");
        ModelSpec spec = new ModelSpec(model, driverPath(model), chunkMs, language, beamSize, batchSize, threads, device);
        TranscribeJob.Config config = new TranscribeJob.Config(manifest, pathColumn, out, fmt, partitions, filesPerTask, spec);
        SparkConf conf = new SparkConf().setAppName("sotto spark");
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            // One machine: nothing listens beyond loopback, and no web UI unless asked for.
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            System.err.printf(Locale.ROOT, "sotto: %s on %s (%d cores), %s -> %s (%s)%n", spec.argument(),
                    conf.get("spark.master"), spark.sparkContext().defaultParallelism(), manifest, out,
                    fmt.name().toLowerCase(Locale.ROOT));
            TranscribeJob.Summary s = TranscribeJob.run(spark, config);
            System.err.printf(Locale.ROOT, "sotto: %d files listed, %d already in %s, %d transcribed, %d failed (error rows); "
                            + "%.1f s of audio in %.1f s%n", s.listed(), s.skipped(), out, s.transcribed(), s.failed(),
                    s.audioSeconds(), s.wallSeconds());
            return s.failed() == 0 ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    /**
     * The model directory as the driver sees it: an existing directory, or a name resolved through the
     * model cache (pulled on first use); null when the driver sees neither (the executors may).
     */
    private static String driverPath(String model) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) return p.toAbsolutePath().normalize().toString();
        if (model.contains("/")) {
            System.err.println("sotto: " + model + " is not a directory on the driver: the executors will look for it");
            return null;
        }
        Reporter reporter = new Reporter() {
            @Override
            public void info(String message) {
                System.err.println("sotto: " + message);
            }

            @Override
            public ByteProgress progress(String label, long totalBytes) {
                return SILENT.progress(label, totalBytes);
            }
        };
        return new ModelResolver(ModelSettings.fromEnvironment(System.getenv()), reporter).resolve(model)
                .toAbsolutePath().toString();
    }
}
