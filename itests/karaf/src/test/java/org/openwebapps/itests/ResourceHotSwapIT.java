package org.openwebapps.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A resource bundle is installed, uninstalled and reinstalled while clients keep calling the
 * server: the swapped endpoint answers 200 or 404 (JSON), the others never fail, nothing answers
 * 5xx and no connection breaks.
 */
@RunWith(ServerExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResourceHotSwapIT extends ServerTestSupport {

    private static final int SWAPS = 10;

    @Test
    public void resourceBundleComesAndGoesUnderLoad() throws Exception {
        Bundle resource = installTestResource();
        awaitStatus("GET", "/itest/ping", 200);

        try (Load heartbeat = new Load("/__lbheartbeat__", 3); Load swapped = new Load("/itest/ping", 1)) {
            for (int i = 0; i < SWAPS; i++) {
                resource.uninstall();
                HttpResponse<String> gone = awaitStatus("GET", "/itest/ping", 404);
                assertEquals("not_found", json(gone).path("error").asText());

                resource = installTestResource();
                HttpResponse<String> back = awaitStatus("GET", "/itest/ping", 200);
                assertTrue(json(back).path("pong").asBoolean());
            }
            heartbeat.stop();
            swapped.stop();

            assertTrue("heartbeat load ran: " + heartbeat, heartbeat.requests() > 0);
            assertEquals("heartbeat connection errors: " + heartbeat, 0, heartbeat.connectionErrors.sum());
            assertEquals("heartbeat statuses: " + heartbeat, Set.of(200), heartbeat.statuses.keySet());

            assertTrue("swapped endpoint load ran: " + swapped, swapped.requests() > 0);
            assertEquals("swapped endpoint connection errors: " + swapped, 0, swapped.connectionErrors.sum());
            assertTrue("swapped endpoint answers only 200 or 404: " + swapped,
                    Set.of(200, 404).containsAll(swapped.statuses.keySet()));
        }
    }

    /** Client threads calling one path in a loop, counting statuses and connection errors. */
    private final class Load implements AutoCloseable {
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final LongAdder connectionErrors = new LongAdder();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final String path;

        Load(String path, int clients) {
            this.path = path;
            HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
            for (int i = 0; i < clients; i++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                        } catch (IOException e) {
                            connectionErrors.increment();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load " + path + " " + i);
                threads.add(thread);
                thread.start();
            }
        }

        long requests() {
            return statuses.values().stream().mapToLong(LongAdder::sum).sum() + connectionErrors.sum();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TIMEOUT.toMillis());
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        @Override
        public String toString() {
            return path + " " + statuses + ", connection errors " + connectionErrors.sum();
        }
    }
}
