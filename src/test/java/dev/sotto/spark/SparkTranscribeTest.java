package dev.sotto.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.audio.AudioDecoder;
import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.transcribe.Decoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local[2] inside this JVM, on real audio and the real Zipformer: every text is
 * the CLI's (the same files through the CLI's loop and configuration), a file that is not audio
 * and a missing one are error rows while the rest of the job goes on, the model is loaded once
 * for the JVM, both output formats read back, and a re-run transcribes only what is new.
 */
class SparkTranscribeTest {
    private static final Path SHARED = Path.of(System.getProperty("sotto.shared", "../shared")).toAbsolutePath().normalize();
    private static final Path MODEL = SHARED.resolve("models/zipformer-gigaspeech-3.3m");
    private static final Path AUDIO = SHARED.resolve("audio");
    /** Short clips in four containers (WAV, MP3, FLAC at 44.1 kHz, LibriSpeech FLAC) and two languages. */
    private static final List<String> CLIPS = List.of("en/jfk.wav", "en/jfk.mp3", "en/1089-134691-0000.flac",
            "en/1089-134686-0001.flac", "en/ljspeech/LJ001-0008.wav", "multi/leopard-test-ko.wav");

    private static SparkSession spark;
    private static Map<String, String> cliTexts;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        SparkTranscribe.quietLogs();
        spark = SparkSession.builder().master("local[2]").appName("sotto-spark-test")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        cliTexts = new HashMap<>();
        // What `sotto transcribe --model DIR FILE` prints: its configuration (all defaults) and its loop.
        try (Recognizer cli = Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(MODEL).build()).build())) {
            for (String clip : CLIPS) {
                try (AudioDecoder audio = AudioDecoder.open(AUDIO.resolve(clip))) {
                    cliTexts.put(clip, Decoding.run(cli, audio, s -> { }).result().text());
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static ModelSpec model(int batchSize) {
        return new ModelSpec(MODEL.toString(), MODEL.toString(), 0, "auto", 0, batchSize, 1, "cpu");
    }

    /** A TSV manifest in {@code dir}: relative paths (the bad files beside it), absolute paths and file: URIs. */
    private static Path manifest(Path where, List<String> clips) throws IOException {
        Files.writeString(where.resolve("not-audio.wav"), "this is a text file, not a RIFF/WAVE file\n".repeat(40));
        StringBuilder tsv = new StringBuilder("path\tlang\n");
        for (int i = 0; i < clips.size(); i++) {
            Path p = AUDIO.resolve(clips.get(i));
            tsv.append(i % 2 == 0 ? p.toString() : p.toUri().toString()).append("\ten\n");
        }
        tsv.append("not-audio.wav\ten\nmissing.flac\ten\n");
        Path m = where.resolve("manifest.tsv");
        Files.writeString(m, tsv.toString());
        return m;
    }

    private static Map<String, Row> byFile(List<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : rows) assertNull(out.put(r.getAs("file"), r), "one row per file: " + r.getAs("file"));
        return out;
    }

    private static String clipOf(String file) {
        for (String clip : CLIPS) if (file.endsWith(clip)) return clip;
        return null;
    }

    @Test
    void jsonLinesMatchTheCliAndBadFilesAreErrorRowsAndReRunsSkipWhatIsDone() throws IOException {
        Path work = Files.createDirectories(dir.resolve("jsonl"));
        Path m = manifest(work, CLIPS);
        String out = work.resolve("out").toString();
        var config = new TranscribeJob.Config(m.toString(), "path", out, TranscribeJob.Format.JSONL, 0, 0, model(4));
        TranscribeJob.Summary first = TranscribeJob.run(spark, config);
        assertEquals(CLIPS.size() + 2, first.listed());
        assertEquals(CLIPS.size(), first.transcribed());
        assertEquals(2, first.failed());

        Map<String, Row> rows = byFile(spark.read().json(out).collectAsList());
        assertEquals(CLIPS.size() + 2, rows.size());
        double loads = 0;
        int loadRows = 0;
        for (Row r : rows.values()) {
            double load = r.getAs("load_seconds");
            if (load > 0) loadRows++;
            loads += load;
            String clip = clipOf(r.getAs("file"));
            if (clip == null) continue;
            assertNull(r.getAs("error"), clip);
            assertEquals(cliTexts.get(clip), r.getAs("text"), clip + ": the CLI's text");
            assertEquals("zipformer-gigaspeech-3.3m", r.getAs("model"));
            assertEquals("CPUExecutionProvider", r.getAs("provider"));
            assertTrue((double) r.getAs("duration") > 0.5 && (double) r.getAs("wall_seconds") > 0, clip);
            if (!cliTexts.get(clip).isBlank()) {
                assertFalse(r.<List<Row>>getList(r.fieldIndex("segments")).isEmpty(), clip + " segments");
                List<Row> words = r.getList(r.fieldIndex("words"));
                assertEquals(cliTexts.get(clip).strip().split("\\s+").length, words.size(), clip + " words");
            }
        }
        // local[2] runs both tasks in this JVM: one model load (this spec's batch size is the other test's), told on one row.
        assertEquals(1, loadRows);
        assertTrue(loads > 0);

        Row bad = rows.get(work.resolve("not-audio.wav").toString());
        assertNotNull(bad, rows.keySet().toString());
        assertNull(bad.getAs("text"));
        String error = bad.getAs("error");
        assertTrue(error.contains("not-audio.wav") && error.toLowerCase().contains("audio"), error);
        String missing = rows.get(work.resolve("missing.flac").toString()).getAs("error");
        assertTrue(missing.contains("missing.flac") && missing.contains("not found"), missing);

        // Again: nothing new to do. Then with one more file: only that one is transcribed.
        TranscribeJob.Summary again = TranscribeJob.run(spark, config);
        assertEquals(first.listed(), again.skipped());
        assertEquals(0, again.transcribed() + again.failed());
        List<String> more = new ArrayList<>(CLIPS);
        more.add("en/1089-134691-0001.flac");
        manifest(work, more);
        TranscribeJob.Summary third = TranscribeJob.run(spark, config);
        assertEquals(first.listed(), third.skipped());
        assertEquals(1, third.transcribed());
        assertEquals(CLIPS.size() + 3, byFile(spark.read().json(out).collectAsList()).size());
    }

    @Test
    void parquetFromADirectoryListingOneFileAtATime() throws IOException {
        Path audio = Files.createDirectories(dir.resolve("listing/audio/nested"));
        Files.createSymbolicLink(audio.resolve("jfk.wav"), AUDIO.resolve("en/jfk.wav"));
        Files.createSymbolicLink(audio.getParent().resolve("LJ001-0008.wav"), AUDIO.resolve("en/ljspeech/LJ001-0008.wav"));
        Files.writeString(audio.resolve("notes.mp3"), "not audio either", StandardCharsets.UTF_8);
        String out = dir.resolve("listing/out").toString();
        var config = new TranscribeJob.Config(audio.getParent().toString(), "path", out, TranscribeJob.Format.PARQUET, 0, 0,
                model(1));
        TranscribeJob.Summary s = TranscribeJob.run(spark, config);
        assertEquals(3, s.listed());
        assertEquals(2, s.transcribed());
        Map<String, Row> rows = byFile(spark.read().parquet(out).collectAsList());
        assertEquals(cliTexts.get("en/jfk.wav"), rows.get(audio.resolve("jfk.wav").toString()).getAs("text"));
        assertEquals(cliTexts.get("en/ljspeech/LJ001-0008.wav"),
                rows.get(audio.getParent().resolve("LJ001-0008.wav").toString()).getAs("text"));
        assertNotNull(rows.get(audio.resolve("notes.mp3").toString()).getAs("error"));

        // Asking for JSON lines into Parquet output is refused, not mixed.
        var jsonl = new TranscribeJob.Config(audio.getParent().toString(), "path", out, TranscribeJob.Format.JSONL, 0, 0,
                model(1));
        SottoException e = assertThrows(SottoException.class, () -> TranscribeJob.run(spark, jsonl));
        assertTrue(e.getMessage().contains("--format parquet"), e.getMessage());
    }

    @Test
    void aManifestWithoutThePathColumnIsRefusedByName() throws IOException {
        Path m = Files.writeString(Files.createDirectories(dir.resolve("nocolumn")).resolve("m.csv"), "audio,lang\nx.wav,en\n");
        var config = new TranscribeJob.Config(m.toString(), "path", dir.resolve("nocolumn/out").toString(),
                TranscribeJob.Format.JSONL, 0, 0, model(1));
        SottoException e = assertThrows(SottoException.class, () -> TranscribeJob.run(spark, config));
        assertTrue(e.getMessage().contains("no 'path' column") && e.getMessage().contains("audio, lang"), e.getMessage());
    }

    @Test
    void remoteFilesAreCopiedThroughHadoopsFileSystem() throws IOException {
        Path jfk = AUDIO.resolve("en/jfk.flac");
        Path copy = AudioInput.copyToLocal(jfk.toUri().toString(), Map.of());
        try {
            assertTrue(copy.getFileName().toString().endsWith(".flac"));
            assertEquals(-1, Files.mismatch(jfk, copy));
        } finally {
            Files.delete(copy);
        }
        SottoException e = assertThrows(SottoException.class,
                () -> AudioInput.copyToLocal(dir.resolve("nothing.wav").toUri().toString(), Map.of()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
