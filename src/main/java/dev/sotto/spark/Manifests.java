package dev.sotto.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.sotto.SottoException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What to transcribe, as a one-column ({@code file}) Dataset, read by Spark itself so a
 * manifest of millions of rows never passes through the driver:
 * <ul>
 * <li>a CSV ({@code .csv}) or TSV ({@code .tsv}, {@code .tab}) file with a header naming a path column
 *     ({@code path} unless told otherwise);</li>
 * <li>Parquet (a {@code .parquet} file, or a directory of them) with that column;</li>
 * <li>any other directory: every file under it (Spark lists it, in parallel on large trees).</li>
 * </ul>
 * Relative paths are relative to the manifest's directory; local paths and URIs
 * ({@code file:}, {@code hdfs://}, {@code s3a://}...) are kept as written.
 */
final class Manifests {
    /** A URI scheme or an absolute path: kept as it is. */
    private static final String ABSOLUTE = "^([A-Za-z][A-Za-z0-9+.-]*:|/)";

    private Manifests() {
    }

    static Dataset<Row> read(SparkSession spark, String manifest, String column) {
        Path path = new Path(manifest);
        FileStatus status;
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                boolean parquet = Arrays.stream(fs.listStatus(path)).anyMatch(s -> s.getPath().getName().endsWith(".parquet"));
                if (!parquet) return listing(spark, manifest);
                return files(spark.read().parquet(manifest), manifest, column, base(manifest, true));
            }
        } catch (FileNotFoundException e) {
            throw new SottoException("manifest " + manifest + " not found");
        } catch (IOException e) {
            throw new SottoException("cannot read manifest " + manifest + ": " + e.getMessage(), e);
        }
        String name = path.getName().toLowerCase(Locale.ROOT);
        Dataset<Row> table;
        if (name.endsWith(".parquet")) {
            table = spark.read().parquet(manifest);
        } else if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            // No quoting in TSV: a reference text may hold a lone quote.
            table = spark.read().option("header", "true").option("sep", "\t").option("quote", "").csv(manifest);
        } else if (name.endsWith(".csv")) {
            table = spark.read().option("header", "true").csv(manifest);
        } else {
            throw new SottoException("manifest " + manifest + ": expected a .csv, .tsv or .parquet file with a '" + column
                    + "' column, or a directory of audio files");
        }
        return files(table, manifest, column, base(manifest, false));
    }

    private static Dataset<Row> files(Dataset<Row> table, String manifest, String column, String base) {
        if (!Arrays.asList(table.columns()).contains(column)) {
            throw new SottoException("manifest " + manifest + " has no '" + column + "' column (its columns: "
                    + String.join(", ", table.columns()) + "); name the column with --path-column");
        }
        Column given = trim(col(column).cast("string"));
        Column resolved = when(given.rlike(ABSOLUTE), given).otherwise(concat(lit(base), given));
        return table.select(resolved.as("file")).where(col("file").isNotNull().and(col("file").notEqual(lit(base))))
                .dropDuplicates();
    }

    /** Every file under a directory (the listing's URIs; file: ones as plain paths when the directory was one). */
    private static Dataset<Row> listing(SparkSession spark, String dir) {
        Dataset<Row> found = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(dir)
                .select(col("path").as("file"));   // only the path: binaryFile then reads no content
        return hasScheme(dir) ? found : found.select(regexp_replace(col("file"), "^file:", "").as("file"));
    }

    /** What relative paths are prefixed with: the manifest's directory, ending in '/'. */
    private static String base(String manifest, boolean isDirectory) {
        if (!hasScheme(manifest)) {
            java.nio.file.Path p = java.nio.file.Path.of(manifest).toAbsolutePath().normalize();
            return (isDirectory ? p : p.getParent()) + "/";
        }
        Path p = new Path(manifest);
        return (isDirectory ? p : p.getParent()).toString().replaceAll("/+$", "") + "/";
    }

    static boolean hasScheme(String s) {
        return s.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    }
}
