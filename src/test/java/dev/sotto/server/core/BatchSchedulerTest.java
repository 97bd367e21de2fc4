package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sotto.recognizer.ModelConfig;
import dev.sotto.recognizer.RecognitionStream;
import dev.sotto.recognizer.Recognizer;
import dev.sotto.recognizer.RecognizerConfig;
import dev.sotto.testing.TestData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The model's decoding thread with the real Zipformer: a stream released while a callback of its own opens the next one. */
class BatchSchedulerTest {
    static final java.nio.file.Path MODEL = TestData.shared().resolve("models/zipformer-gigaspeech-3.3m");

    /**
     * A live session ends a stream and, when it is done, opens the next one; when the client leaves
     * first, the stream is released and its "done" callback runs from within release. That
     * callback adding a stream must neither break release (it once threw
     * ConcurrentModificationException, leaving the stream unclosed) nor get lost.
     */
    @Test
    void aStreamOpenedByTheReleasedStreamsCallbackIsDecoded() throws Exception {
        TestData.Audio jfk = TestData.readWav(TestData.shared().resolve("audio/en/jfk.wav"));
        try (Recognizer recognizer = Recognizer.create(RecognizerConfig.builder(ModelConfig.builder(MODEL).build()).build());
             BatchScheduler scheduler = new BatchScheduler(recognizer, "test", true)) {
            RecognitionStream first = recognizer.createStream();
            RecognitionStream next = recognizer.createStream();
            AtomicReference<CompletableFuture<Void>> nextDone = new AtomicReference<>();
            CountDownLatch opened = new CountDownLatch(1);
            scheduler.add(first, s -> { }).whenComplete((v, failure) -> {
                nextDone.set(scheduler.add(next, s -> { }));
                opened.countDown();
            });
            first.acceptWaveform(jfk.samples(), jfk.sampleRate());
            scheduler.wake();

            scheduler.release(first);   // the client left before the end was decoded

            assertTrue(opened.await(10, TimeUnit.SECONDS), "the callback ran");
            next.acceptWaveform(jfk.samples(), jfk.sampleRate());
            next.inputFinished();
            scheduler.wake();
            nextDone.get().get(60, TimeUnit.SECONDS);
            assertEquals("AND SO MY FELLOW AMERICAN ASK NOT WHAT YOU ARE COUNTRY CAN DO FOR YOU ASK WHAT YOU CAN DO FOR YOUR COUNTRY",
                    recognizer.getResult(next).text(), "the stream opened during the release was decoded");
            next.close();
        }
    }
}
