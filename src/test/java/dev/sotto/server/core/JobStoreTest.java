package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.SottoException;
import dev.sotto.server.core.Job.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job store on a real SQLite file: what is saved, what each transition allows, what survives a crash. */
class JobStoreTest {
    @TempDir
    Path tmp;

    Path data() {
        return tmp.resolve("data");
    }

    Path upload(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void createSavesTheJobAndMovesItsAudioIn() throws IOException {
        Path upload = upload("upload.tmp", "RIFF fake audio");
        try (JobStore store = JobStore.open(data())) {
            Job job = store.create("fal", "fal-ai/nemotron/asr", "{\"language\":\"en\"}", upload, "talk.WAV", 15);

            assertEquals(job, store.find(job.id()).orElseThrow());
            assertEquals("fal", job.kind());
            assertEquals("fal-ai/nemotron/asr", job.endpoint());
            assertEquals("{\"language\":\"en\"}", job.params());
            assertEquals("talk.WAV", job.fileName());
            assertEquals(15, job.fileSize());
            assertEquals(State.QUEUED, job.state());
            assertEquals(0, job.attempts());
            assertEquals(List.of(), job.logs());
            assertTrue(job.createdAt() > 0);
            assertNull(job.startedAt());
            assertNull(job.finishedAt());
            assertNull(job.result());
            assertNull(job.errorStatus());

            assertFalse(Files.exists(upload), "the upload was moved, not copied");
            assertEquals(data().resolve("jobs").resolve(job.id()).resolve("audio.wav"), job.audio());
            assertEquals("RIFF fake audio", Files.readString(job.audio()));
        }
    }

    @Test
    void theDatabaseIsInWalMode() throws Exception {
        JobStore.open(data()).close();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + data().resolve("jobs.db"));
             ResultSet r = other.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertTrue(r.next());
            assertEquals("wal", r.getString(1), "WAL mode is kept in the file");
        }
    }

    @Test
    void aJobWithoutAudioHasNoFolder() {
        try (JobStore store = JobStore.open(data())) {
            Job job = store.create("nanogpt", "v1/audio/transcriptions", "{}", null, null, 0);
            assertNull(job.audio());
            assertFalse(Files.exists(data().resolve("jobs").resolve(job.id())));
        }
    }

    @Test
    void clientFileNamesNeverBecomePaths() {
        assertEquals(".wav", JobStore.extension("a.WAV"));
        assertEquals("", JobStore.extension("../../etc/passwd"));
        assertEquals("", JobStore.extension("x./../y"));
        assertEquals("", JobStore.extension("noext"));
        assertEquals("", JobStore.extension(null));
    }

    @Test
    void unknownJobs() {
        try (JobStore store = JobStore.open(data())) {
            assertTrue(store.find("nope").isEmpty());
            assertFalse(store.markRunning("nope"));
            assertFalse(store.cancel("nope"));
            assertEquals(-1, store.position("nope"));
            store.log("nope", "INFO", "nothing happens");
        }
    }

    @Test
    void completeRecordsTheResultOnce() {
        try (JobStore store = JobStore.open(data())) {
            String id = store.create("fal", "e", "{}", null, null, 0).id();
            assertTrue(store.markRunning(id));
            assertFalse(store.markRunning(id), "a running job cannot be claimed again");
            assertTrue(store.complete(id, "{\"text\":\"hello\"}"));
            assertFalse(store.fail(id, 500, "{}"), "a finished job stays finished");

            Job job = store.find(id).orElseThrow();
            assertEquals(State.COMPLETED, job.state());
            assertEquals("{\"text\":\"hello\"}", job.result());
            assertNull(job.error());
            assertTrue(job.startedAt() >= job.createdAt());
            assertTrue(job.finishedAt() >= job.startedAt());
        }
    }

    @Test
    void failRecordsStatusAndBody() {
        try (JobStore store = JobStore.open(data())) {
            String id = store.create("fal", "e", "{}", null, null, 0).id();
            store.markRunning(id);
            assertTrue(store.fail(id, 422, "{\"detail\":\"no speech\"}"));

            Job job = store.find(id).orElseThrow();
            assertEquals(State.FAILED, job.state());
            assertEquals(422, job.errorStatus());
            assertEquals("{\"detail\":\"no speech\"}", job.error());
            assertNull(job.result());
            assertTrue(job.finishedAt() != null);
        }
    }

    @Test
    void cancelOnlyWhileQueued() {
        try (JobStore store = JobStore.open(data())) {
            String queued = store.create("fal", "e", "{}", null, null, 0).id();
            String running = store.create("fal", "e", "{}", null, null, 0).id();
            store.markRunning(running);

            assertTrue(store.cancel(queued));
            assertFalse(store.cancel(queued), "already cancelled");
            assertFalse(store.cancel(running));
            assertFalse(store.markRunning(queued), "a worker skips a cancelled job");
            assertEquals(State.CANCELLED, store.find(queued).orElseThrow().state());
            assertEquals(State.RUNNING, store.find(running).orElseThrow().state());
        }
    }

    @Test
    void positionCountsOlderQueuedJobs() {
        try (JobStore store = JobStore.open(data())) {
            String a = store.create("fal", "e", "{}", null, null, 0).id();
            String b = store.create("fal", "e", "{}", null, null, 0).id();
            String c = store.create("fal", "e", "{}", null, null, 0).id();
            assertEquals(List.of(0, 1, 2), List.of(store.position(a), store.position(b), store.position(c)));

            store.markRunning(a);
            store.cancel(b);
            assertEquals(List.of(-1, -1, 0), List.of(store.position(a), store.position(b), store.position(c)));
            assertEquals(List.of(c), store.queued().stream().map(Job::id).toList());
        }
    }

    @Test
    void logLinesAreAppendedInOrder() {
        try (JobStore store = JobStore.open(data())) {
            String id = store.create("fal", "e", "{}", null, null, 0).id();
            store.log(id, "INFO", "decoding");
            store.log(id, "WARNING", "quote \" and\nnewline");

            List<Job.LogLine> logs = store.find(id).orElseThrow().logs();
            assertEquals(2, logs.size());
            assertEquals("INFO", logs.get(0).level());
            assertEquals("decoding", logs.get(0).message());
            assertEquals("WARNING", logs.get(1).level());
            assertEquals("quote \" and\nnewline", logs.get(1).message());
            assertTrue(logs.get(0).timestamp().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), logs.get(0).timestamp());
        }
    }

    @Test
    void countsByStateListsEveryState() {
        try (JobStore store = JobStore.open(data())) {
            store.create("fal", "e", "{}", null, null, 0);
            String done = store.create("fal", "e", "{}", null, null, 0).id();
            store.complete(done, "{}");

            assertEquals(Map.of(State.QUEUED, 1, State.RUNNING, 0, State.COMPLETED, 1, State.FAILED, 0,
                    State.CANCELLED, 0), store.countsByState());
            assertEquals(1, store.queuedCount());
        }
    }

    @Test
    void purgeDeletesOldFinishedJobsAndTheirAudio() throws IOException {
        try (JobStore store = JobStore.open(data())) {
            Job done = store.create("fal", "e", "{}", upload("a", "a"), "a.wav", 1);
            Job failed = store.create("fal", "e", "{}", null, null, 0);
            Job queued = store.create("fal", "e", "{}", upload("b", "b"), "b.wav", 1);
            Job running = store.create("fal", "e", "{}", null, null, 0);
            store.complete(done.id(), "{}");
            store.fail(failed.id(), 500, "{}");
            store.markRunning(running.id());

            assertEquals(0, store.purgeFinishedBefore(0), "nothing finished before 1970");
            assertEquals(2, store.purgeFinishedBefore(System.currentTimeMillis() + 1));

            assertTrue(store.find(done.id()).isEmpty());
            assertTrue(store.find(failed.id()).isEmpty());
            assertFalse(Files.exists(done.audio().getParent()), "the audio folder is gone");
            assertTrue(Files.exists(queued.audio()), "unfinished jobs keep theirs");
            assertEquals(State.RUNNING, store.find(running.id()).orElseThrow().state());
        }
    }

    @Test
    void queuedJobsSurviveReopening() throws IOException {
        Job job;
        try (JobStore store = JobStore.open(data())) {
            job = store.create("fal", "e", "{\"a\":1}", upload("u", "audio"), "u.mp3", 5);
            store.log(job.id(), "INFO", "accepted");
        }
        try (JobStore store = JobStore.open(data())) {
            assertEquals(job.id(), store.find(job.id()).orElseThrow().id());
            assertEquals(List.of(job.id()), store.queued().stream().map(Job::id).toList());
            assertEquals("audio", Files.readString(store.find(job.id()).orElseThrow().audio()));
            assertEquals(1, store.find(job.id()).orElseThrow().logs().size());
        }
    }

    @Test
    void requeueRunningCountsTheCutShortRunAndGivesUpAfterMaxRuns() {
        try (JobStore store = JobStore.open(data())) {
            String id = store.create("fal", "e", "{}", null, null, 0).id();
            for (int attempt = 1; attempt <= 2; attempt++) {
                store.markRunning(id);
                assertEquals(1, store.requeueRunning(3));
                Job job = store.find(id).orElseThrow();
                assertEquals(State.QUEUED, job.state());
                assertEquals(attempt, job.attempts());
                assertNull(job.startedAt());
            }
            store.markRunning(id);
            assertEquals(0, store.requeueRunning(3), "the third cut-short run is the last");
            Job job = store.find(id).orElseThrow();
            assertEquals(State.FAILED, job.state());
            assertEquals(500, job.errorStatus());
            assertTrue(job.error().contains("stopped while running this job 3 times"), job.error());
        }
    }

    @Test
    void foldersWithoutAJobAreRemovedOnOpen() throws IOException {
        Path orphan = Files.createDirectories(data().resolve("jobs").resolve("left-by-a-crash"));
        Files.writeString(orphan.resolve("audio.wav"), "x");
        Job kept;
        try (JobStore store = JobStore.open(data())) {
            kept = store.create("fal", "e", "{}", upload("u", "u"), "u.wav", 1);
        }
        try (JobStore store = JobStore.open(data())) {
            assertFalse(Files.exists(orphan));
            assertTrue(Files.exists(store.find(kept.id()).orElseThrow().audio()));
        }
    }

    @Test
    void oneStorePerDataDirectory() {
        try (JobStore store = JobStore.open(data())) {
            SottoException e = assertThrows(SottoException.class, () -> JobStore.open(data()));
            assertTrue(e.getMessage().contains("another Sotto server"), e.getMessage());
            assertEquals(0, store.queuedCount(), "the first store still works");
        }
    }

    /** kill -9 for real: another JVM accepts a job, starts it and halts without closing anything. */
    @Test
    void anAcceptedJobSurvivesTheProcessDying() throws Exception {
        Path upload = upload("upload.tmp", "spoken words");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HaltAfterAccepting.class.getName(),
                data().toString(), upload.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        String id = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(HaltAfterAccepting.EXIT, child.exitValue(), "child output: " + id);

        try (JobStore store = JobStore.open(data())) {
            Job job = store.find(id).orElseThrow();
            assertEquals(State.RUNNING, job.state());
            assertEquals("started", job.logs().get(0).message());
            assertArrayEquals("spoken words".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(job.audio()));
            assertEquals(1, store.requeueRunning(3));
            assertEquals(State.QUEUED, store.find(id).orElseThrow().state());
        }
    }

    /** The child process of {@link #anAcceptedJobSurvivesTheProcessDying}. */
    static final class HaltAfterAccepting {
        static final int EXIT = 37;

        public static void main(String[] args) {
            JobStore store = JobStore.open(Path.of(args[0]));
            Job job = store.create("fal", "e", "{}", Path.of(args[1]), "talk.wav", 12);
            store.markRunning(job.id());
            store.log(job.id(), "INFO", "started");
            System.out.println(job.id());
            System.out.flush();
            Runtime.getRuntime().halt(EXIT); // no close, no shutdown hooks, no WAL checkpoint
        }
    }
}
