package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.server.core.Job.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job queue on a real store: order, limits, failures, cancellation, and what a stop or crash leaves behind. */
class JobQueueTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    Path data() {
        return tmp.resolve("data");
    }

    /** Completes each job with {"endpoint": ...} and remembers the order the jobs ran in. */
    static final class Recorder implements JobRunner {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Override
        public Outcome run(Job job, JobContext context) {
            ran.add(job.id());
            context.info("ran " + job.endpoint());
            return Outcome.completed("{\"endpoint\":\"" + job.endpoint() + "\"}");
        }
    }

    /** Blocks each job until {@link #release} opens; {@link #started} opens when the first job runs. */
    static final class Gate implements JobRunner {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Override
        public Outcome run(Job job, JobContext context) throws InterruptedException {
            ran.add(job.id());
            started.countDown();
            release.await();
            return Outcome.completed("{}");
        }

        void awaitStarted() throws InterruptedException {
            assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "no job started");
        }
    }

    static Job awaitState(JobStore store, String id, State state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Job job = store.find(id).orElseThrow();
            if (job.state() == state) return job;
            Thread.sleep(5);
        }
        throw new AssertionError("job " + id + " is " + store.find(id).orElseThrow().state() + ", not " + state);
    }

    static Job submit(JobQueue queue, String endpoint) {
        return queue.submit("fal", endpoint, "{}", null, null, 0);
    }

    @Test
    void aSubmittedJobRunsAndRecordsItsResultAndLogs() throws Exception {
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 2, 10, new Recorder())) {
            queue.start();
            Job job = submit(queue, "fal-ai/nemotron/asr");

            Job done = awaitState(store, job.id(), State.COMPLETED);
            assertEquals("{\"endpoint\":\"fal-ai/nemotron/asr\"}", done.result());
            assertEquals("ran fal-ai/nemotron/asr", done.logs().get(0).message());
            assertEquals("INFO", done.logs().get(0).level());
            assertEquals(0, queue.depth());
        }
    }

    @Test
    void jobsSubmittedFromManyThreadsEachRunOnce() throws Exception {
        Recorder runner = new Recorder();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 3, 1000, runner)) {
            queue.start();
            List<Future<Job>> submitted = new ArrayList<>();
            for (int i = 0; i < 40; i++) submitted.add(clients.submit(() -> submit(queue, "e")));
            for (Future<Job> f : submitted) awaitState(store, f.get().id(), State.COMPLETED);

            assertEquals(40, runner.ran.size());
            assertEquals(40, Set.copyOf(runner.ran).size(), "no job ran twice");
            assertEquals(40, store.countsByState().get(State.COMPLETED));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aJobRunningAtACrashRunsAgainAfterStart() throws Exception {
        Job job;
        try (JobStore store = JobStore.open(data())) {
            job = store.create("fal", "e", "{}", Files.writeString(tmp.resolve("u"), "audio"), "u.wav", 5);
            store.markRunning(job.id());
        } // closed without finishing: what a crash leaves behind

        Recorder runner = new Recorder();
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, runner)) {
            queue.start();
            Job done = awaitState(store, job.id(), State.COMPLETED);
            assertEquals(1, done.attempts());
            assertEquals(List.of(job.id()), runner.ran);
            assertTrue(Files.exists(done.audio()));
        }
    }

    @Test
    void queuedJobsSurviveAStopAndRunInOrder() throws Exception {
        List<String> ids;
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, new Recorder())) {
            // Never started: the jobs are only saved.
            ids = List.of(submit(queue, "a").id(), submit(queue, "b").id(), submit(queue, "c").id());
            assertEquals(3, queue.depth());
        }

        Recorder runner = new Recorder();
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, runner)) {
            assertEquals(List.of(0, 1, 2), ids.stream().map(store::position).toList());
            queue.start();
            awaitState(store, ids.get(2), State.COMPLETED);
            assertEquals(ids, runner.ran);
        }
    }

    @Test
    void aFullQueueRefusesAndSavesNothing() throws IOException {
        Path upload = Files.writeString(tmp.resolve("u"), "audio");
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 2, new Recorder())) {
            submit(queue, "a");
            submit(queue, "b");

            QueueFullException e = assertThrows(QueueFullException.class,
                    () -> queue.submit("fal", "c", "{}", upload, "u.wav", 5));
            assertEquals(2, e.maxQueued());
            assertEquals(2, store.countsByState().values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(Files.exists(upload), "a refused job's audio stays with the caller");
            try (var folders = Files.list(data().resolve("jobs"))) {
                assertEquals(0, folders.count());
            }
        }
    }

    @Test
    void aRunnerThatThrowsFailsTheJobWithItsMessage() throws Exception {
        JobRunner broken = (job, context) -> {
            throw new IllegalStateException("the model \"x\" is not loaded");
        };
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, broken)) {
            queue.start();
            Job failed = awaitState(store, submit(queue, "e").id(), State.FAILED);
            assertEquals(500, failed.errorStatus());
            assertEquals("{\"detail\":\"the model \\\"x\\\" is not loaded\"}", failed.error());
        }
    }

    @Test
    void aRunnerCanFailAJobWithItsOwnStatus() throws Exception {
        JobRunner picky = (job, context) -> Outcome.failed(422, "{\"detail\":\"no audio\"}");
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, picky)) {
            queue.start();
            Job failed = awaitState(store, submit(queue, "e").id(), State.FAILED);
            assertEquals(422, failed.errorStatus());
            assertEquals("{\"detail\":\"no audio\"}", failed.error());
        }
    }

    @Test
    void cancelWorksOnlyWhileQueuedAndTheWorkerSkipsTheJob() throws Exception {
        Gate gate = new Gate();
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, gate)) {
            queue.start();
            String running = submit(queue, "a").id();
            gate.awaitStarted();
            String queued = submit(queue, "b").id();
            String after = submit(queue, "c").id();

            assertFalse(queue.cancel(running));
            assertTrue(queue.cancel(queued));
            gate.release.countDown();

            awaitState(store, after, State.COMPLETED);
            assertEquals(List.of(running, after), gate.ran);
            assertEquals(State.CANCELLED, store.find(queued).orElseThrow().state());
            assertEquals(State.COMPLETED, store.find(running).orElseThrow().state());
        }
    }

    @Test
    void shutdownLetsTheRunningJobFinishAndLeavesQueuedJobsQueued() throws Exception {
        Gate gate = new Gate();
        try (JobStore store = JobStore.open(data())) {
            JobQueue queue = new JobQueue(store, 1, 10, gate);
            queue.start();
            String running = submit(queue, "a").id();
            gate.awaitStarted();
            String queued = submit(queue, "b").id();

            Thread releaser = new Thread(() -> {
                while (!queue.isShutdown()) Thread.onSpinWait();
                gate.release.countDown();
            });
            releaser.start();
            assertTrue(queue.shutdown(WAIT));
            releaser.join();

            assertEquals(State.COMPLETED, store.find(running).orElseThrow().state());
            assertEquals(State.QUEUED, store.find(queued).orElseThrow().state());
            assertEquals(List.of(running), gate.ran);
            assertThrows(IllegalStateException.class, () -> submit(queue, "c"));
        }
    }

    @Test
    void aJobCutShortByTheShutdownTimeoutRunsAgainAfterTheNextStart() throws Exception {
        Gate gate = new Gate();
        String id;
        try (JobStore store = JobStore.open(data())) {
            JobQueue queue = new JobQueue(store, 1, 10, gate);
            queue.start();
            id = submit(queue, "a").id();
            gate.awaitStarted();

            assertFalse(queue.shutdown(Duration.ofMillis(50)), "the job was still running");
            // The interrupt ended the gate's wait with an exception: the job is left running, not failed.
            assertEquals(State.RUNNING, store.find(id).orElseThrow().state());
        }

        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, new Recorder())) {
            queue.start();
            assertEquals(1, awaitState(store, id, State.COMPLETED).attempts());
        }
    }

    @Test
    void purgeDeletesJobsFinishedLongerAgoThanTheTtl() throws Exception {
        try (JobStore store = JobStore.open(data());
             JobQueue queue = new JobQueue(store, 1, 10, Duration.ZERO, new Recorder())) {
            Job job = queue.submit("fal", "e", "{}", Files.writeString(tmp.resolve("u"), "audio"), "u.wav", 5);
            store.complete(job.id(), "{}");
            Thread.sleep(2); // finished strictly before "now - 0"

            assertEquals(1, queue.purgeExpired());
            assertTrue(store.find(job.id()).isEmpty());
            assertFalse(Files.exists(job.audio()));
        }
    }
}
