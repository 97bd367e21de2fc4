package dev.sotto.spark;

import dev.sotto.SottoException;
import dev.sotto.transcribe.BatchDecoding;
import dev.sotto.transcribe.Decoding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * One Spark partition of file names in, one row per file out, streamed: files are taken
 * {@code batchSize} at a time and decoded together on this JVM's recognizer through the CLI's
 * own loops ({@link Decoding} for one, {@link BatchDecoding} for several), so each text is
 * the CLI's. A file that cannot be read or decoded becomes a row with its error; the task
 * goes on. Only a model that cannot load fails the task (Spark then tries another executor).
 */
final class PartitionTranscriber implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelSpec model;
    private final Broadcast<? extends Map<String, String>> hadoopConf;
    private final LongAccumulator transcribed;
    private final LongAccumulator failed;
    private final DoubleAccumulator audioSeconds;

    PartitionTranscriber(ModelSpec model, Broadcast<? extends Map<String, String>> hadoopConf,
                         LongAccumulator transcribed, LongAccumulator failed, DoubleAccumulator audioSeconds) {
        this.model = model;
        this.hadoopConf = hadoopConf;
        this.transcribed = transcribed;
        this.failed = failed;
        this.audioSeconds = audioSeconds;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private Recognizers.Loaded loaded;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && files.hasNext()) {
                    List<String> group = new ArrayList<>();
                    while (group.size() < Math.max(1, model.batchSize()) && files.hasNext()) {
                        group.add(files.next().getString(0));
                    }
                    if (loaded == null) loaded = Recognizers.get(model);
                    ready.addAll(transcribe(loaded, group));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.removeFirst();
            }
        };
    }

    private List<Row> transcribe(Recognizers.Loaded loaded, List<String> group) {
        List<Row> rows = new ArrayList<>(group.size() == 1 ? List.of(one(loaded, group.get(0))) : together(loaded, group));
        // The load this task waited for is told once, on its first row: summed over rows, it is what loading cost.
        double load = loaded.claimLoadSeconds();
        if (load > 0) rows.set(0, TranscriptRows.withLoadSeconds(rows.get(0), load));
        for (Row r : rows) {
            if (r.isNullAt(TranscriptRows.SCHEMA.fieldIndex("error"))) {
                transcribed.add(1);
                audioSeconds.add(r.getDouble(TranscriptRows.SCHEMA.fieldIndex("duration")));
            } else {
                failed.add(1);
            }
        }
        return rows;
    }

    private Row one(Recognizers.Loaded loaded, String file) {
        try (AudioInput input = AudioInput.open(file, hadoopConf.value())) {
            Decoding.Outcome o = Decoding.run(loaded.recognizer(), input.decoder(), s -> { });
            return TranscriptRows.transcript(file, o.result(), o.audioSeconds(), loaded.recognizer(), o.wallSeconds());
        } catch (RuntimeException e) {
            return TranscriptRows.error(file, message(e), loaded.recognizer());
        }
    }

    /** The group's files decoded together; the ones that cannot even be opened are error rows, in their place. */
    private List<Row> together(Recognizers.Loaded loaded, List<String> group) {
        Row[] rows = new Row[group.size()];
        List<AudioInput> inputs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        try {
            for (int i = 0; i < group.size(); i++) {
                try {
                    inputs.add(AudioInput.open(group.get(i), hadoopConf.value()));
                    positions.add(i);
                } catch (RuntimeException e) {
                    rows[i] = TranscriptRows.error(group.get(i), message(e), loaded.recognizer());
                }
            }
            List<BatchDecoding.Finished> done;
            try {
                done = BatchDecoding.run(loaded.recognizer(), inputs.stream().map(AudioInput::decoder).toList());
            } catch (RuntimeException e) {
                for (int p : positions) rows[p] = TranscriptRows.error(group.get(p), message(e), loaded.recognizer());
                return List.of(rows);
            }
            for (int k = 0; k < done.size(); k++) {
                int i = positions.get(k);
                BatchDecoding.Finished f = done.get(k);
                rows[i] = f.error() != null
                        ? TranscriptRows.error(group.get(i), f.error().getMessage(), loaded.recognizer())
                        : TranscriptRows.transcript(group.get(i), f.outcome().result(), f.outcome().audioSeconds(),
                                loaded.recognizer(), f.outcome().wallSeconds());
            }
            return List.of(rows);
        } finally {
            inputs.forEach(AudioInput::close);
        }
    }

    private static String message(RuntimeException e) {
        if (e instanceof SottoException) return e.getMessage();
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
