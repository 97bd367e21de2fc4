package dev.sotto.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A live session's client events: in arrival order, held while a stream ends, released in order. */
class ClientEventsTest {
    final ClientEvents events = new ClientEvents();
    final List<String> ran = new CopyOnWriteArrayList<>();

    Runnable event(String name) {
        return () -> ran.add(name);
    }

    @Test
    void eventsRunAtOnceUntilOneHolds() {
        events.submit(event("a"));
        events.submit(() -> {
            ran.add("end");
            events.hold();
        });
        events.submit(event("b"));
        events.submit(event("c"));
        assertEquals(List.of("a", "end"), ran, "b and c wait for the end");

        events.release();
        assertEquals(List.of("a", "end", "b", "c"), ran);
        events.submit(event("d"));
        assertEquals(List.of("a", "end", "b", "c", "d"), ran, "nothing held: run at once");
    }

    @Test
    void aHeldEventThatHoldsAgainStopsTheRelease() {
        events.hold();
        events.submit(event("a"));
        events.submit(() -> {
            ran.add("second end");
            events.hold();
        });
        events.submit(event("b"));
        events.release();
        assertEquals(List.of("a", "second end"), ran);
        events.release();
        assertEquals(List.of("a", "second end", "b"), ran);
    }

    @Test
    void eventsSubmittedWhileHeldOnesRunGoBehindThem() throws InterruptedException {
        CountDownLatch draining = new CountDownLatch(1);
        CountDownLatch submitted = new CountDownLatch(1);
        events.hold();
        events.submit(() -> {
            ran.add("held");
            draining.countDown();
            await(submitted);
        });
        Thread releaser = new Thread(events::release);
        releaser.start();
        assertEquals(true, draining.await(10, TimeUnit.SECONDS));
        events.submit(event("later"));          // arrives while "held" is still running on the releasing thread
        assertEquals(List.of("held"), ran, "it waits behind the held event");
        submitted.countDown();
        releaser.join(10_000);
        assertEquals(List.of("held", "later"), ran);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
