package org.openwebapps.storage.router.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageLimits;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;

/**
 * The router's promise with each side going away and coming back: writes keep being acknowledged
 * while one side can take them, each acknowledged write stays readable with its timestamp whichever
 * side serves, what a side missed is copied back before it serves that owner again, and at the end
 * both sides are identical.
 */
class StorageRouterFailoverTest {

    private static final String APP = "https://app.example";

    private RouterFixture fixture;
    private StorageRouter router;
    /** Every acknowledged write: owner user + key -> the record as acknowledged. */
    private final Map<String, StoredRecord> acknowledged = new LinkedHashMap<>();

    @BeforeEach
    void open() throws Exception {
        fixture = new RouterFixture(Clock.systemUTC(), StorageLimits.defaults());
        router = fixture.router;
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void aMirrorThatIsUninstalledGetsWhatItMissedWhenItReturns() throws Exception {
        writeUsers("before", 3);
        fixture.unbind(fixture.mirror);
        writeUsers("during", 5);
        assertEquals("absent", fixture.status("mirror").state());
        assertEquals(5, fixture.status("mirror").pendingOwners(), "one entry per user written while it was away");

        fixture.bind(fixture.mirror);
        router.round();
        assertEquals(0, fixture.status("mirror").pendingOwners());
        assertEverythingReadableFrom(fixture.mirror);
        assertIdentical();
    }

    @Test
    void aFailingPrimaryIsReplacedByTheMirrorWithinTheCallAndCaughtUpBeforeItServesAgain() throws Exception {
        writeUsers("before", 3);
        fixture.primary.failing = true;
        // the first call finds it failing and is answered by the mirror; later calls go there directly
        writeUsers("during", 4);
        assertEquals("down", fixture.status("primary").state());
        assertEverythingReadableFrom(router);

        fixture.primary.failing = false;
        assertEquals(4, fixture.status("primary").pendingOwners(), "one entry per user written while it was down");
        // until the round copies an owner, the mirror keeps serving it (the primary lacks its writes)
        StoredRecord latest = acknowledged.get("during-0@example.com/k1");
        assertEquals(latest.timestamp(), router.get(APP, "during-0@example.com", "k1").orElseThrow().timestamp());

        router.round(); // the probe finds it healthy; the replay copies every owner
        assertEquals("up", fixture.status("primary").state());
        assertEquals(0, fixture.status("primary").pendingOwners());
        assertEverythingReadableFrom(fixture.primary);
        assertIdentical();

        // timestamps never go back: the next write stamps after those the mirror gave meanwhile
        long next = router.put(APP, "during-0@example.com", "k1", bytes("after"), Condition.any());
        assertTrue(next > latest.timestamp());
    }

    @Test
    void anUninstalledPrimaryFailsOverAndAReinstalledOneServesOnlyCaughtUpOwners() throws Exception {
        writeUsers("a", 2);
        fixture.unbind(fixture.primary);
        write("b@example.com", "k", "while the primary was away");
        fixture.bind(fixture.primary);

        // the primary is back but lacks b's write: b is still served by the mirror, a by the primary
        fixture.mirror.failing = true;
        assertThrows(StorageUnavailableException.class, () -> router.get(APP, "b@example.com", "k"));
        assertEquals("k0-a-0", new String(router.get(APP, "a-0@example.com", "k0").orElseThrow().value(), UTF_8));
        fixture.mirror.failing = false;
        router.round(); // mirror healthy again, b copied into the primary
        assertEverythingReadableFrom(fixture.primary);
        assertIdentical();
    }

    @Test
    void aPrimaryThatStopsAnsweringIsMarkedDownInBoundedTimeAndTheMirrorServes() throws Exception {
        write("before@example.com", "k", "v");
        CountDownLatch thaw = new CountDownLatch(1);
        fixture.primary.frozen = thaw;
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        try {
            Future<Long> hanging = stuck.submit(() -> router.put(APP, "stuck@example.com", "k", bytes("late"), Condition.any()));
            awaitState("primary", "down"); // by the watchdog: the call itself never returns
            write("other@example.com", "k", "served by the mirror meanwhile");
            assertFalse(hanging.isDone(), "the stuck call waits for its backend");

            fixture.primary.frozen = null;
            thaw.countDown();
            long late = hanging.get(10, TimeUnit.SECONDS); // answered by the primary when it thawed
            acknowledged.put("stuck@example.com/k", StoredRecord.live("k", bytes("late"), late));
        } finally {
            stuck.shutdownNow();
        }
        router.round();
        assertEquals("up", fixture.status("primary").state());
        assertEverythingReadableFrom(fixture.primary);
        assertEverythingReadableFrom(fixture.mirror);
        assertIdentical();
    }

    @Test
    void withBothSidesOutNothingIsAcknowledged() throws Exception {
        write("u@example.com", "k", "kept");
        fixture.primary.failing = true;
        fixture.mirror.failing = true;
        assertThrows(StorageUnavailableException.class, () -> router.put(APP, "u@example.com", "k", bytes("lost?"), Condition.any()));
        assertThrows(StorageUnavailableException.class, () -> router.get(APP, "u@example.com", "k"));
        assertFalse(router.health().healthy());

        fixture.primary.failing = false;
        fixture.mirror.failing = false;
        router.round();
        assertEquals("kept", new String(router.get(APP, "u@example.com", "k").orElseThrow().value(), UTF_8));
        assertEquals("kept", new String(fixture.mirror.real.get(APP, "u@example.com", "k").orElseThrow().value(), UTF_8));
        assertIdentical();
    }

    @Test
    void conditionalWritesAndDeletesKeepTheirMeaningAcrossAFailover() throws Exception {
        long first = router.put(APP, "c@example.com", "k", bytes("1"), Condition.absent());
        fixture.primary.failing = true;
        long second = router.put(APP, "c@example.com", "k", bytes("2"),
                Condition.match(router.get(APP, "c@example.com", "k").orElseThrow().etag()));
        assertTrue(second > first);
        router.delete(APP, "c@example.com", "k", Condition.any());
        fixture.primary.failing = false;
        router.round();
        assertEquals(Optional.empty(), fixture.primary.real.get(APP, "c@example.com", "k"));
        List<StoredRecord> changes = fixture.primary.real.changesSince(APP, "c@example.com", 0, 10).records();
        assertTrue(changes.get(0).deleted(), "the tombstone was copied: " + changes);
        assertIdentical();
    }

    @Test
    void theJournalSurvivesARestartOfTheRouter() throws Exception {
        fixture.unbind(fixture.mirror);
        writeUsers("journaled", 3);
        router.close();

        router = fixture.router = fixture.openRouter("primary", "mirror"); // as after a restart
        assertEquals(3, fixture.status("mirror").pendingOwners());
        fixture.bind(fixture.primary);
        fixture.bind(fixture.mirror);
        router.round();
        assertEverythingReadableFrom(fixture.mirror);
        assertIdentical();
    }

    @Test
    void swappedRolesServeTheSameRecords() throws Exception {
        writeUsers("s", 3);
        router.configure(fixture.configuration("mirror", "primary"));
        assertEquals("primary", fixture.status("mirror").role());
        fixture.primary.failing = true; // only the new primary can answer
        assertEverythingReadableFrom(router);
        write("s-0@example.com", "k9", "written to the new primary");
        fixture.primary.failing = false;
        router.round();
        assertIdentical();
    }

    @Test
    void theCheckFindsAndRepairsWhatDiffers() throws Exception {
        writeUsers("r", 2);
        StoredRecord stale = acknowledged.get("r-0@example.com/k1");
        // the mirror loses a record and holds an older version of another, behind the router's back
        fixture.mirror.real.replicate(APP, "r-1@example.com",
                List.of(StoredRecord.live("extra", bytes("only in the mirror"), stale.timestamp() + 1_000_000)));
        fixture.primary.real.replicate(APP, "r-0@example.com",
                List.of(StoredRecord.live("k1", bytes("newer in the primary"), stale.timestamp() + 10)));

        ConsistencyCheck.Report report = ConsistencyCheck.run(router, false);
        assertEquals(2, report.differences(), report.listed().toString());
        assertEquals(0, report.repaired());

        ConsistencyCheck.Report repair = ConsistencyCheck.run(router, true);
        assertEquals(2, repair.repaired());
        assertTrue(ConsistencyCheck.run(router, false).identical());
        assertEquals("newer in the primary",
                new String(fixture.mirror.real.get(APP, "r-0@example.com", "k1").orElseThrow().value(), UTF_8));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private void writeUsers(String prefix, int users) throws Exception {
        for (int u = 0; u < users; u++) {
            String user = prefix + "-" + u + "@example.com";
            for (int k = 0; k < 2; k++) {
                write(user, "k" + k, "k" + k + "-" + prefix + "-" + u);
            }
        }
    }

    private void write(String user, String key, String value) throws Exception {
        long timestamp = router.write(APP, user, List.of(Mutation.put(key, bytes(value))));
        acknowledged.put(user + "/" + key, StoredRecord.live(key, bytes(value), timestamp));
    }

    private void assertEverythingReadableFrom(StorageBackend backend) throws Exception {
        for (Map.Entry<String, StoredRecord> entry : acknowledged.entrySet()) {
            String user = entry.getKey().substring(0, entry.getKey().indexOf('/'));
            StoredRecord expected = entry.getValue();
            StoredRecord found = backend.get(APP, user, expected.key()).orElseThrow(
                    () -> new AssertionError(entry.getKey() + " lost in " + backend.name()));
            assertArrayEquals(expected.value(), found.value(), entry.getKey());
            assertEquals(expected.timestamp(), found.timestamp(), entry.getKey() + " timestamp in " + backend.name());
            assertTrue(backend.listKeys(APP, user, KeyRange.all(100)).contains(expected.key()));
        }
    }

    /** Polls the router's view of a backend (the watchdog has no event to wait on) for up to 10 s. */
    private void awaitState(String backend, String state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!fixture.status(backend).state().equals(state)) {
            assertTrue(System.nanoTime() < deadline, backend + " " + state + " within 10 s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private void assertIdentical() throws Exception {
        ConsistencyCheck.Report report = ConsistencyCheck.run(router, false);
        assertTrue(report.identical(), report + "");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
