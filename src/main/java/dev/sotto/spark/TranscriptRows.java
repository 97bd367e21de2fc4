package dev.sotto.spark;

import dev.sotto.engine.Result;
import dev.sotto.engine.Segment;
import dev.sotto.engine.Word;
import dev.sotto.engine.Words;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.transcribe.Formats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The output: one row per input file. {@code text} and the rest are null when {@code error} says
 * why the file could not be transcribed. {@code wall_seconds} is the file's decoding time, or its
 * group's when files were decoded together; {@code load_seconds} is the model load the row's task
 * waited for (non-zero once per executor JVM).
 */
final class TranscriptRows {
    static final StructType SEGMENT = new StructType()
            .add("id", DataTypes.IntegerType).add("start", DataTypes.DoubleType).add("end", DataTypes.DoubleType)
            .add("text", DataTypes.StringType);
    static final StructType WORD = new StructType()
            .add("word", DataTypes.StringType).add("start", DataTypes.DoubleType).add("end", DataTypes.DoubleType);
    static final StructType SCHEMA = new StructType()
            .add("file", DataTypes.StringType, false)
            .add("text", DataTypes.StringType)
            .add("language", DataTypes.StringType)
            .add("duration", DataTypes.DoubleType)
            .add("segments", DataTypes.createArrayType(SEGMENT))
            .add("words", DataTypes.createArrayType(WORD))
            .add("model", DataTypes.StringType)
            .add("provider", DataTypes.StringType)
            .add("device", DataTypes.StringType)
            .add("wall_seconds", DataTypes.DoubleType)
            .add("load_seconds", DataTypes.DoubleType)
            .add("error", DataTypes.StringType);

    private TranscriptRows() {
    }

    static Row transcript(String file, Result result, double duration, Recognizer recognizer, double wallSeconds) {
        List<Row> segments = new ArrayList<>();
        List<Row> words = new ArrayList<>();
        for (Segment s : result.segments()) {
            segments.add(RowFactory.create(s.id(), Formats.round(s.start()), Formats.round(s.end()), s.text()));
            for (Word w : Words.of(result, s, duration)) {
                words.add(RowFactory.create(w.text(), Formats.round(w.start()), Formats.round(w.end())));
            }
        }
        return RowFactory.create(file, result.text(), result.language(), Formats.round(duration), seq(segments), seq(words),
                recognizer.info().name(), recognizer.info().provider(), recognizer.device(), Formats.round(wallSeconds),
                0.0, null);
    }

    /** Spark's rows hold arrays as Scala sequences. */
    private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
        return scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq();
    }

    static Row error(String file, String message, Recognizer recognizer) {
        return RowFactory.create(file, null, null, null, null, null, recognizer.info().name(), recognizer.info().provider(),
                recognizer.device(), null, 0.0, message);
    }

    static Row withLoadSeconds(Row row, double seconds) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) values[i] = row.get(i);
        values[SCHEMA.fieldIndex("load_seconds")] = Formats.round(seconds);
        return RowFactory.create(values);
    }
}
