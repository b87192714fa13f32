package org.openwebapps.http.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class GenerationSwitchTest {

    /** A payload that counts how often it was destroyed. */
    static final class Payload {
        final AtomicInteger destroyed = new AtomicInteger();
    }

    private final GenerationSwitch<Payload> generations = new GenerationSwitch<>(p -> p.destroyed.incrementAndGet());

    @Test
    void nothingToAcquireBeforeTheFirstGeneration() {
        assertNull(generations.acquire());
    }

    @Test
    void callersEnterTheNewestGeneration() {
        Payload first = new Payload();
        Payload second = new Payload();
        generations.swap(first);
        generations.swap(second);
        GenerationSwitch.Generation<Payload> entered = generations.acquire();
        assertSame(second, entered.value());
        entered.release();
    }

    @Test
    void idleRetiredGenerationIsDestroyedAtOnce() {
        Payload first = new Payload();
        generations.swap(first);
        generations.swap(new Payload());
        assertEquals(1, first.destroyed.get());
    }

    @Test
    void retiredGenerationLivesUntilItsLastCallerLeaves() {
        Payload first = new Payload();
        generations.swap(first);
        GenerationSwitch.Generation<Payload> a = generations.acquire();
        GenerationSwitch.Generation<Payload> b = generations.acquire();

        GenerationSwitch.Generation<Payload> retired = generations.swap(new Payload());
        assertEquals(2, retired.users());
        assertEquals(0, first.destroyed.get(), "in-flight callers keep it alive");

        a.release();
        assertEquals(0, first.destroyed.get());
        b.release();
        assertEquals(1, first.destroyed.get());
        assertTrue(retired.isDestroyed());
    }

    @Test
    void forcedDestroyHappensOnceEvenIfTheStragglerLeavesLater() {
        Payload first = new Payload();
        generations.swap(first);
        GenerationSwitch.Generation<Payload> straggler = generations.acquire();
        GenerationSwitch.Generation<Payload> retired = generations.swap(new Payload());

        retired.forceDestroy();
        assertEquals(1, first.destroyed.get());
        straggler.release();
        assertEquals(1, first.destroyed.get());
    }

    @Test
    void forcedDestroyDoesNothingToTheCurrentGeneration() {
        Payload current = new Payload();
        generations.swap(current);
        GenerationSwitch.Generation<Payload> entered = generations.acquire();
        entered.forceDestroy();
        entered.release();
        assertEquals(0, current.destroyed.get());
    }

    @Test
    void swappingToNothingRetiresTheLastGeneration() {
        Payload last = new Payload();
        generations.swap(last);
        generations.swap(null);
        assertNull(generations.acquire());
        assertEquals(1, last.destroyed.get());
    }

    @Test
    void concurrentCallersNeverUseADestroyedGenerationAndEachIsDestroyedOnce() throws Exception {
        int callers = 4;
        int swaps = 2_000;
        List<Payload> payloads = new ArrayList<>();
        Payload initial = new Payload();
        payloads.add(initial);
        generations.swap(initial);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong usedDestroyed = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        CountDownLatch started = new CountDownLatch(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(pool.submit(() -> {
                started.countDown();
                while (running.get()) {
                    GenerationSwitch.Generation<Payload> entered = generations.acquire();
                    assertNotNull(entered);
                    try {
                        if (entered.value().destroyed.get() != 0) {
                            usedDestroyed.incrementAndGet();
                        }
                        calls.incrementAndGet();
                    } finally {
                        entered.release();
                    }
                }
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < swaps; i++) {
            Payload next = new Payload();
            payloads.add(next);
            generations.swap(next);
        }
        running.set(false);
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        generations.swap(null);

        assertTrue(calls.get() > 0);
        assertEquals(0, usedDestroyed.get(), "a caller ran inside a destroyed generation");
        for (Payload payload : payloads) {
            assertEquals(1, payload.destroyed.get(), "every generation is destroyed exactly once");
        }
        assertFalse(payloads.isEmpty());
    }
}
