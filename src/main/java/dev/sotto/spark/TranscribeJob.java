package dev.sotto.spark;

import dev.sotto.SottoException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The job: manifest → the files not yet in the output → partitions of files, each transcribed on
 * its executor's one recognizer → rows appended to the output (Parquet or JSON lines).
 *
 * <p>Re-runs are idempotent: the output's {@code file} column is read first and those files are
 * left out (an anti-join, done by Spark, so it scales with the archive). Every task's rows are
 * committed when the task ends (the file output committer's algorithm 2), so a job stopped half-way
 * keeps what its finished tasks wrote and the next run carries on from there.
 */
public final class TranscribeJob {
    /** Output formats. */
    public enum Format {
        PARQUET("parquet", ".parquet"), JSONL("json", ".json");

        final String source;
        final String extension;

        Format(String source, String extension) {
            this.source = source;
            this.extension = extension;
        }

        public static Format parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SottoException("unknown format '" + name + "': use parquet or jsonl");
            }
        }
    }

    /**
     * @param manifest     CSV/TSV/Parquet manifest or a directory of audio (a path or a Hadoop URI)
     * @param pathColumn   the manifest's column of audio paths
     * @param out          the output directory (a path or a Hadoop URI)
     * @param format       Parquet or JSON lines
     * @param partitions   tasks to split the files into; 0: about {@code filesPerTask} files each, at least
     *                     one per core
     * @param filesPerTask files per task when {@code partitions} is 0
     * @param model        the model, as every executor loads it
     */
    public record Config(String manifest, String pathColumn, String out, Format format, int partitions, int filesPerTask,
                         ModelSpec model) {
        public Config {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(model, "model");
            if (pathColumn == null) pathColumn = "path";
            if (format == null) format = Format.PARQUET;
            if (filesPerTask <= 0) filesPerTask = 32;
        }
    }

    /** What a run did: files listed, already done (skipped), transcribed, failed (error rows), and audio seconds. */
    public record Summary(long listed, long skipped, long transcribed, long failed, double audioSeconds, double wallSeconds) {
    }

    private TranscribeJob() {
    }

    public static Summary run(SparkSession spark, Config config) {
        long start = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        // Task-level commits: a job cut short keeps its finished tasks' rows (unless the cluster chose otherwise).
        if (!spark.conf().contains("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version")) {
            hadoop.set("mapreduce.fileoutputcommitter.algorithm.version", "2");
        }
        // Cached for the two counts and the job; always dropped at the end, or a re-run would find this run's
        // cached rows under the same plan instead of reading the manifest and the output again.
        Dataset<Row> listed = Manifests.read(spark, config.manifest(), config.pathColumn()).cache();
        Dataset<Row> pending = listed;
        try {
            long total = listed.count();
            long todo = total;
            if (hasOutput(hadoop, config)) {
                Dataset<Row> done = spark.read().schema(TranscriptRows.SCHEMA).format(config.format().source)
                        .load(config.out()).select("file").distinct();
                pending = listed.join(done, listed.col("file").equalTo(done.col("file")), "left_anti").cache();
                todo = pending.count();
            }
            if (todo == 0) return new Summary(total, total, 0, 0, 0, (System.nanoTime() - start) / 1e9);
            int partitions = config.partitions() > 0 ? config.partitions()
                    : (int) Math.max(sc.defaultParallelism(), (todo + config.filesPerTask() - 1) / config.filesPerTask());

            Broadcast<HashMap<String, String>> conf = sc.broadcast(entries(hadoop));
            LongAccumulator transcribed = sc.sc().longAccumulator("sotto files transcribed");
            LongAccumulator failed = sc.sc().longAccumulator("sotto files failed");
            DoubleAccumulator audio = sc.sc().doubleAccumulator("sotto audio seconds");
            Dataset<Row> rows = pending.repartition(partitions)
                    .mapPartitions(new PartitionTranscriber(config.model(), conf, transcribed, failed, audio),
                            Encoders.row(TranscriptRows.SCHEMA));
            rows.write().mode(SaveMode.Append).format(config.format().source).option("ignoreNullFields", "false")
                    .save(config.out());
            conf.destroy();
            return new Summary(total, total - todo, transcribed.value(), failed.value(), audio.value(),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            pending.unpersist();
            listed.unpersist();
        }
    }

    /** Whether the output directory holds rows already; refuses one written in the other format. */
    private static boolean hasOutput(Configuration hadoop, Config config) {
        Path out = new Path(config.out());
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            if (!fs.exists(out)) return false;
            if (!fs.getFileStatus(out).isDirectory()) {
                throw new SottoException("--out " + config.out() + " is a file: give a directory");
            }
            boolean mine = false;
            for (FileStatus s : fs.listStatus(out)) {
                String name = s.getPath().getName();
                for (Format f : Format.values()) {
                    if (!name.startsWith("part-") || !name.contains(f.extension)) continue;
                    if (f != config.format()) {
                        throw new SottoException("--out " + config.out() + " holds " + f.name().toLowerCase(Locale.ROOT)
                                + " output: re-run with --format " + f.name().toLowerCase(Locale.ROOT)
                                + ", or choose another --out");
                    }
                    mine = true;
                }
            }
            return mine;
        } catch (IOException e) {
            throw new SottoException("--out " + config.out() + ": cannot list it: " + e.getMessage(), e);
        }
    }

    private static HashMap<String, String> entries(Configuration conf) {
        HashMap<String, String> map = new HashMap<>();
        for (Map.Entry<String, String> e : conf) map.put(e.getKey(), e.getValue());
        return map;
    }
}
