package org.openwebapps.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The behaviour every {@link StorageBackend} must show, run against a real server. A backend's
 * test extends this class and creates the backend over a fresh namespace (a database, a table).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageBackendConformance {

    /** The value limit the suite configures: small enough to test both sides of it quickly. */
    protected static final int MAX_VALUE_BYTES = 64 * 1024;

    protected final MutableClock clock = new MutableClock();
    protected StorageBackend backend;
    private String bucket;
    private String user;

    /** Creates the backend under test over an empty namespace, with this clock and these limits. */
    protected abstract StorageBackend createBackend(MutableClock clock, StorageLimits limits) throws Exception;

    /** Closes what {@link #createBackend} opened and drops its namespace. */
    protected abstract void closeBackend(StorageBackend backend) throws Exception;

    /** Why there is no backend: its server is not configured (set locally; under CI=true the suite fails). */
    private String noServer;

    @BeforeAll
    void openBackend() throws Exception {
        try {
            backend = createBackend(clock, StorageLimits.defaults().withMaxValueBytes(MAX_VALUE_BYTES));
        } catch (TestAbortedException e) {
            noServer = e.getMessage(); // each test reports the skip, so the totals count them
        }
    }

    @AfterAll
    void close() throws Exception {
        if (backend != null) {
            closeBackend(backend);
        }
    }

    @BeforeEach
    void freshOwner() {
        if (noServer != null) {
            Assumptions.abort(noServer);
        }
        clock.useSystemTime();
        bucket = "https://app-" + UUID.randomUUID() + ".example";
        user = "user-" + UUID.randomUUID() + "@example.com";
    }

    // --- replication (mirrors and replays) ---------------------------------------------------------

    @Test
    void replicatedRecordsKeepTheirTimestampsEtagsAndTombstones() throws Exception {
        long t = Timestamps.truncate(System.currentTimeMillis()) - 60_000;
        backend.replicate(bucket, user, List.of(StoredRecord.live("a", bytes("A"), t),
                StoredRecord.live("b", bytes("B"), t), StoredRecord.tombstone("gone", t)));

        StoredRecord a = backend.get(bucket, user, "a").orElseThrow();
        assertEquals(t, a.timestamp());
        assertEquals(Timestamps.etag(t), a.etag());
        assertArrayEquals(bytes("A"), a.value());
        assertEquals(Optional.empty(), backend.get(bucket, user, "gone"));
        ChangePage changes = backend.changesSince(bucket, user, t - 10, 10);
        assertEquals(List.of("a", "b", "gone"), changes.records().stream().map(StoredRecord::key).toList());
        assertTrue(changes.records().get(2).deleted());
    }

    @Test
    void replicationIsIdempotentAndNeverGoesBack() throws Exception {
        long t = Timestamps.truncate(System.currentTimeMillis());
        StoredRecord newer = StoredRecord.live("k", bytes("new"), t + 20);
        backend.replicate(bucket, user, List.of(newer));
        backend.replicate(bucket, user, List.of(newer)); // replayed twice
        backend.replicate(bucket, user, List.of(StoredRecord.live("k", bytes("old"), t))); // late and older

        StoredRecord stored = backend.get(bucket, user, "k").orElseThrow();
        assertArrayEquals(bytes("new"), stored.value());
        assertEquals(t + 20, stored.timestamp());
    }

    @Test
    void writesAfterAReplicationStampAfterIt() throws Exception {
        long future = Timestamps.truncate(System.currentTimeMillis()) + 3_600_000; // the primary's clock ran ahead
        backend.replicate(bucket, user, List.of(StoredRecord.live("k", bytes("mirrored"), future)));

        long written = backend.put(bucket, user, "other", bytes("local"), Condition.any());
        assertTrue(written > future, "stamped " + written + " after " + future);
        assertEquals(future, backend.get(bucket, user, "k").orElseThrow().timestamp());
    }

    @Test
    void replicationChecksItsInput() {
        long t = Timestamps.truncate(System.currentTimeMillis());
        assertThrows(InvalidRequestException.class, () -> backend.replicate(bucket, user,
                List.of(StoredRecord.live("k", bytes("v"), t), StoredRecord.live("k", bytes("w"), t))));
        assertThrows(InvalidRequestException.class,
                () -> backend.replicate(bucket, user, List.of(StoredRecord.live("k", bytes("v"), t + 3))));
        assertThrows(InvalidRequestException.class, () -> backend.replicate(bucket, user,
                List.of(StoredRecord.live("k", new byte[MAX_VALUE_BYTES + 1], t))));
    }

    // --- owners (whole-store checks) ----------------------------------------------------------------

    @Test
    void ownersPageThroughEveryOwnerOnce() throws Exception {
        List<Owner> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(new Owner(bucket, "owner-" + i + "-" + user));
        }
        for (Owner owner : written.subList(0, 4)) {
            backend.put(owner.bucket(), owner.user(), "k", bytes("v"), Condition.any());
        }
        Owner replicated = written.get(4);
        backend.replicate(replicated.bucket(), replicated.user(),
                List.of(StoredRecord.live("k", bytes("v"), Timestamps.truncate(System.currentTimeMillis()))));
        backend.delete(written.get(0).bucket(), written.get(0).user(), "k", Condition.any()); // a tombstone is data

        List<Owner> listed = new ArrayList<>();
        Owner after = null;
        while (true) {
            List<Owner> page = backend.owners(after, 3);
            listed.addAll(page);
            if (page.size() < 3) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertEquals(new HashSet<>(listed).size(), listed.size(), "no owner twice");
        assertTrue(listed.containsAll(written), "every owner listed");
        assertThrows(InvalidRequestException.class, () -> backend.owners(null, 0));
    }

    // --- round trips ---------------------------------------------------------------------------

    @Test
    void putThenGetReturnsValueTimestampAndEtag() throws Exception {
        long written = backend.put(bucket, user, "k", bytes("v1"), Condition.any());
        StoredRecord record = backend.get(bucket, user, "k").orElseThrow();
        assertArrayEquals(bytes("v1"), record.value());
        assertEquals(written, record.timestamp());
        assertEquals(Timestamps.etag(written), record.etag());
        assertFalse(record.deleted());
    }

    @Test
    void missingKeyIsEmpty() throws Exception {
        assertEquals(Optional.empty(), backend.get(bucket, user, "nothing"));
    }

    @Test
    void emptyValueRoundTrips() throws Exception {
        backend.put(bucket, user, "empty", new byte[0], Condition.any());
        assertArrayEquals(new byte[0], backend.get(bucket, user, "empty").orElseThrow().value());
    }

    @Test
    void overwriteChangesValueTimestampAndEtag() throws Exception {
        long first = backend.put(bucket, user, "k", bytes("one"), Condition.any());
        long second = backend.put(bucket, user, "k", bytes("two"), Condition.any());
        StoredRecord record = backend.get(bucket, user, "k").orElseThrow();
        assertTrue(second > first);
        assertArrayEquals(bytes("two"), record.value());
        assertNotEquals(Timestamps.etag(first), record.etag());
    }

    @Test
    void deleteHidesTheKeyAndDeletingAgainIsNotFound() throws Exception {
        backend.put(bucket, user, "k", bytes("v"), Condition.any());
        backend.delete(bucket, user, "k", Condition.any());
        assertEquals(Optional.empty(), backend.get(bucket, user, "k"));
        assertThrows(RecordNotFoundException.class, () -> backend.delete(bucket, user, "k", Condition.any()));
        assertThrows(RecordNotFoundException.class, () -> backend.delete(bucket, user, "never", Condition.any()));
    }

    @Test
    void keysOfOtherUsersAndBucketsAreSeparate() throws Exception {
        String otherUser = "other-" + user;
        String otherBucket = bucket + ".other";
        backend.put(bucket, user, "k", bytes("mine"), Condition.any());
        backend.put(bucket, otherUser, "k", bytes("theirs"), Condition.any());
        backend.put(otherBucket, user, "k", bytes("other app"), Condition.any());
        assertArrayEquals(bytes("mine"), backend.get(bucket, user, "k").orElseThrow().value());
        assertArrayEquals(bytes("theirs"), backend.get(bucket, otherUser, "k").orElseThrow().value());
        assertArrayEquals(bytes("other app"), backend.get(otherBucket, user, "k").orElseThrow().value());
        backend.delete(bucket, otherUser, "k", Condition.any());
        assertTrue(backend.get(bucket, user, "k").isPresent());
        assertEquals(List.of("k"), backend.listKeys(bucket, user, KeyRange.all(10)));
    }

    // --- conditional writes -------------------------------------------------------------------

    @Test
    void ifAbsentCreatesOnlyOnce() throws Exception {
        backend.put(bucket, user, "k", bytes("first"), Condition.absent());
        assertThrows(PreconditionFailedException.class,
                () -> backend.put(bucket, user, "k", bytes("second"), Condition.absent()));
        assertArrayEquals(bytes("first"), backend.get(bucket, user, "k").orElseThrow().value());
        backend.delete(bucket, user, "k", Condition.any());
        backend.put(bucket, user, "k", bytes("again"), Condition.absent()); // a tombstone is absence
    }

    @Test
    void ifMatchNeedsTheCurrentEtag() throws Exception {
        backend.put(bucket, user, "k", bytes("v1"), Condition.any());
        String etag = backend.get(bucket, user, "k").orElseThrow().etag();
        backend.put(bucket, user, "k", bytes("v2"), Condition.match(etag));
        assertThrows(PreconditionFailedException.class,
                () -> backend.put(bucket, user, "k", bytes("v3"), Condition.match(etag)));
        assertThrows(PreconditionFailedException.class,
                () -> backend.delete(bucket, user, "k", Condition.match(etag)));
        assertThrows(PreconditionFailedException.class,
                () -> backend.put(bucket, user, "missing", bytes("x"), Condition.match(etag)));
        assertArrayEquals(bytes("v2"), backend.get(bucket, user, "k").orElseThrow().value());
        String current = backend.get(bucket, user, "k").orElseThrow().etag();
        backend.delete(bucket, user, "k", Condition.match(current));
        assertEquals(Optional.empty(), backend.get(bucket, user, "k"));
    }

    // --- atomic batches -------------------------------------------------------------------------

    @Test
    void batchAppliesEverythingWithOneTimestamp() throws Exception {
        backend.put(bucket, user, "old", bytes("x"), Condition.any());
        long ts = backend.write(bucket, user, List.of(
                Mutation.put("a", bytes("1")), Mutation.put("b", bytes("2")), Mutation.delete("old")));
        assertEquals(ts, backend.get(bucket, user, "a").orElseThrow().timestamp());
        assertEquals(ts, backend.get(bucket, user, "b").orElseThrow().timestamp());
        assertEquals(Optional.empty(), backend.get(bucket, user, "old"));
        ChangePage changes = backend.changesSince(bucket, user, ts - 1, 100);
        assertEquals(3, changes.records().size());
        changes.records().forEach(change -> assertEquals(ts, change.timestamp()));
    }

    @Test
    void batchWithAFailingConditionWritesNothing() throws Exception {
        backend.put(bucket, user, "exists", bytes("x"), Condition.any());
        long before = backend.changesSince(bucket, user, 0, 100).until(0);
        assertThrows(PreconditionFailedException.class, () -> backend.write(bucket, user, List.of(
                Mutation.put("new1", bytes("1")),
                Mutation.put("exists", bytes("y"), Condition.absent()),
                Mutation.put("new2", bytes("2")))));
        assertThrows(RecordNotFoundException.class, () -> backend.write(bucket, user, List.of(
                Mutation.put("new3", bytes("3")), Mutation.delete("missing"))));
        assertEquals(List.of("exists"), backend.listKeys(bucket, user, KeyRange.all(10)));
        assertArrayEquals(bytes("x"), backend.get(bucket, user, "exists").orElseThrow().value());
        assertEquals(List.of(), backend.changesSince(bucket, user, before, 100).records());
    }

    @Test
    void invalidBatchesAreRefused() {
        assertThrows(InvalidRequestException.class, () -> backend.write(bucket, user, List.of()));
        assertThrows(InvalidRequestException.class, () -> backend.write(bucket, user, List.of(
                Mutation.put("same", bytes("1")), Mutation.put("same", bytes("2")))));
    }

    // --- timestamps -------------------------------------------------------------------------------

    @Test
    void timestampsIncreaseWhenTheClockStandsStillOrStepsBack() throws Exception {
        long now = System.currentTimeMillis();
        clock.set(now);
        long a = backend.put(bucket, user, "k1", bytes("1"), Condition.any());
        long b = backend.put(bucket, user, "k2", bytes("2"), Condition.any());
        long c = backend.put(bucket, user, "k1", bytes("3"), Condition.any());
        clock.set(now - 3_600_000); // an hour back
        long d = backend.delete(bucket, user, "k2", Condition.any());
        long e = backend.put(bucket, user, "k3", bytes("5"), Condition.any());
        long[] stamps = {a, b, c, d, e};
        for (int i = 1; i < stamps.length; i++) {
            assertTrue(stamps[i] > stamps[i - 1], "timestamps strictly increase: " + java.util.Arrays.toString(stamps));
        }
        for (long stamp : stamps) {
            assertEquals(0, stamp % Timestamps.RESOLUTION_MILLIS, "timestamps are multiples of 10 ms");
        }
    }

    @Test
    void timestampsFollowTheClock() throws Exception {
        long ts = backend.put(bucket, user, "k", bytes("v"), Condition.any());
        assertTrue(Math.abs(ts - System.currentTimeMillis()) < 60_000, "stamped near now: " + ts);
    }

    // --- listing ----------------------------------------------------------------------------------

    @Test
    void keysListInUtf8OrderWithPrefixRangeAndLimit() throws Exception {
        List<String> keys = List.of("b", "a/2", "a/1", "a%2F", "\u00e9", "\uD83C\uDF89", "Z", "a/10");
        for (String key : keys) {
            backend.put(bucket, user, key, bytes(key), Condition.any());
        }
        backend.put(bucket, user, "gone", bytes("x"), Condition.any());
        backend.delete(bucket, user, "gone", Condition.any());

        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Keys::compare);
        assertEquals(sorted, backend.listKeys(bucket, user, KeyRange.all(100)));
        assertEquals(List.of("a/1", "a/10", "a/2"), backend.listKeys(bucket, user, new KeyRange("a/", null, null, 100)));
        assertEquals(List.of("a/10", "a/2"), backend.listKeys(bucket, user, new KeyRange("a/", "a/10", null, 100)));
        assertEquals(List.of("a/1"), backend.listKeys(bucket, user, new KeyRange("a/", null, "a/10", 100)));
        assertEquals(sorted.subList(0, 3), backend.listKeys(bucket, user, KeyRange.all(3)));
    }

    @Test
    void changesAreOrderedIncludeTombstonesAndPagesNeverSplitATimestamp() throws Exception {
        long t1 = backend.put(bucket, user, "solo", bytes("1"), Condition.any());
        long t2 = writeGroup(5);
        long t3 = backend.delete(bucket, user, "solo", Condition.any());
        long t4 = backend.put(bucket, user, "last", bytes("4"), Condition.any());

        // each key appears once, in its latest state: "solo" as the tombstone of t3
        ChangePage all = backend.changesSince(bucket, user, 0, 100);
        assertFalse(all.more());
        assertEquals(List.of("g0", "g1", "g2", "g3", "g4", "solo", "last"), keysOf(all));
        assertTrue(t1 < t2);
        assertTrue(all.records().get(5).deleted(), "the delete is reported as a tombstone");
        assertEquals(t3, all.records().get(5).timestamp());
        assertEquals(t4, all.until(0));

        // a page of 3 cannot hold the group of 5 written at t2 without splitting it: it comes whole
        ChangePage first = backend.changesSince(bucket, user, 0, 3);
        assertEquals(List.of("g0", "g1", "g2", "g3", "g4"), keysOf(first));
        first.records().forEach(change -> assertEquals(t2, change.timestamp()));
        assertTrue(first.more());
        ChangePage second = backend.changesSince(bucket, user, first.until(0), 3);
        assertEquals(List.of("solo", "last"), keysOf(second));
        assertFalse(second.more());
        // a page of 6 takes the group and the next single change
        ChangePage six = backend.changesSince(bucket, user, 0, 6);
        assertEquals(List.of("g0", "g1", "g2", "g3", "g4", "solo"), keysOf(six));
        assertTrue(six.more());

        // walking with any page size sees every change exactly once
        for (int limit = 1; limit <= 9; limit++) {
            List<StoredRecord> walked = new ArrayList<>();
            long since = 0;
            ChangePage page;
            do {
                page = backend.changesSince(bucket, user, since, limit);
                walked.addAll(page.records());
                since = page.until(since);
            } while (page.more());
            assertEquals(all.records(), walked, "page size " + limit);
        }
        assertEquals(List.of(), backend.changesSince(bucket, user, t4, 10).records());
    }

    @Test
    void aRecordAndTheChangesAfterATimeAreReadTogether() throws Exception {
        long t1 = backend.put(bucket, user, "meta", bytes("{\"uuid\":\"u1\"}"), Condition.any());
        long t2 = writeGroup(5);
        long t3 = backend.delete(bucket, user, "g0", Condition.any());

        // whatever the key's state, the time and the page size: what the two reads answer apart
        for (String key : List.of("meta", "g0", "g1", "missing")) {
            for (long after : List.of(0L, t1, t2, t3)) {
                for (int limit : List.of(1, 3, 6, 100)) {
                    RecordAndChanges together = backend.getWithChangesSince(bucket, user, key, after, limit);
                    String what = key + " after " + after + " by " + limit;
                    assertEquals(backend.get(bucket, user, key), together.record(), what);
                    assertEquals(backend.changesSince(bucket, user, after, limit), together.changes(), what);
                }
            }
        }
        // a poll that finds nothing new: the header record and an empty last page
        RecordAndChanges poll = backend.getWithChangesSince(bucket, user, "meta", t3, 10);
        assertEquals(t1, poll.record().orElseThrow().timestamp());
        assertEquals(List.of(), poll.changes().records());
        assertFalse(poll.changes().more());
        assertEquals(Optional.empty(), backend.getWithChangesSince(bucket, "nobody-" + user, "meta", 0, 10).record());

        assertThrows(InvalidRequestException.class,
                () -> backend.getWithChangesSince(bucket, user, "k".repeat(257), 0, 10));
        assertThrows(InvalidRequestException.class, () -> backend.getWithChangesSince(bucket, user, "meta", 0, 0));
    }

    // --- odd input --------------------------------------------------------------------------------

    @Test
    void oddKeysRoundTrip() throws Exception {
        List<String> keys = List.of("a/b", "../x", "%", "%2F%00", "sp ace", "\u043a\u043b\u044e\u0447 \u2603 \uD83C\uDF89",
                "'; DROP TABLE x; --", "k".repeat(StorageLimits.MAX_KEY_BYTES),
                "\u00e9".repeat(StorageLimits.MAX_KEY_BYTES / 2));
        for (String key : keys) {
            backend.put(bucket, user, key, bytes("value of " + key), Condition.any());
        }
        for (String key : keys) {
            assertArrayEquals(bytes("value of " + key), backend.get(bucket, user, key).orElseThrow().value(), key);
        }
        assertEquals(new HashSet<>(keys), new HashSet<>(backend.listKeys(bucket, user, KeyRange.all(100))));
    }

    @Test
    void invalidKeysAndNamesAreRefusedAndNothingIsWritten() throws Exception {
        List<String> bad = List.of("", "k".repeat(StorageLimits.MAX_KEY_BYTES + 1),
                "\u00e9".repeat(StorageLimits.MAX_KEY_BYTES / 2 + 1), "lone \uD83C surrogate", "nul\0");
        for (String key : bad) {
            assertThrows(InvalidRequestException.class, () -> backend.put(bucket, user, key, bytes("v"), Condition.any()));
            assertThrows(InvalidRequestException.class, () -> backend.get(bucket, user, key));
        }
        assertThrows(InvalidRequestException.class, () -> backend.put("", user, "k", bytes("v"), Condition.any()));
        assertThrows(InvalidRequestException.class, () -> backend.put(bucket, "", "k", bytes("v"), Condition.any()));
        assertThrows(InvalidRequestException.class,
                () -> backend.put(bucket, "u".repeat(StorageLimits.MAX_NAME_BYTES + 1), "k", bytes("v"), Condition.any()));
        assertThrows(InvalidRequestException.class, () -> backend.listKeys(bucket, user, KeyRange.all(1_000_000)));
        assertEquals(List.of(), backend.listKeys(bucket, user, KeyRange.all(100)));
    }

    @Test
    void valuesUpToTheLimitAreStoredAndLargerOnesRefused() throws Exception {
        byte[] largest = new byte[MAX_VALUE_BYTES];
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) i;
        }
        backend.put(bucket, user, "large", largest, Condition.any());
        assertArrayEquals(largest, backend.get(bucket, user, "large").orElseThrow().value());
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> backend.put(bucket, user, "too-large", new byte[MAX_VALUE_BYTES + 1], Condition.any()));
        assertTrue(refused.getMessage().contains(String.valueOf(MAX_VALUE_BYTES)), refused.getMessage());
        assertEquals(List.of("large"), backend.listKeys(bucket, user, KeyRange.all(10)));
    }

    // --- concurrency ------------------------------------------------------------------------------

    @Test
    void concurrentConditionalIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int incrementsEach = 20;
        Set<Long> stamps = ConcurrentHashMap.newKeySet();
        stamps.add(backend.put(bucket, user, "counter", bytes("0"), Condition.any()));
        AtomicInteger conflicts = new AtomicInteger();
        runConcurrently(threads, () -> {
            for (int i = 0; i < incrementsEach; i++) {
                for (;;) {
                    StoredRecord current = backend.get(bucket, user, "counter").orElseThrow();
                    int value = Integer.parseInt(new String(current.value(), UTF_8));
                    for (int pause = ThreadLocalRandom.current().nextInt(4); pause > 0; pause--) {
                        backend.get(bucket, user, "counter"); // a slow client: others write meanwhile
                    }
                    try {
                        long stamp = backend.put(bucket, user, "counter", bytes(String.valueOf(value + 1)),
                                Condition.match(current.etag()));
                        assertTrue(stamps.add(stamp), "timestamp " + stamp + " stamped twice");
                        break;
                    } catch (PreconditionFailedException lost) {
                        conflicts.incrementAndGet();
                    }
                }
            }
            return null;
        });
        assertEquals(String.valueOf(threads * incrementsEach),
                new String(backend.get(bucket, user, "counter").orElseThrow().value(), UTF_8),
                "every increment counted (" + conflicts.get() + " conflicts retried)");
    }

    @Test
    void concurrentWritersNeverShareATimestamp() throws Exception {
        int threads = 8;
        int writesEach = 25;
        ConcurrentLinkedQueue<Long> stamps = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        runConcurrently(threads, () -> {
            for (int i = 0; i < writesEach; i++) {
                stamps.add(backend.put(bucket, user, "key" + next.incrementAndGet(), bytes("v"), Condition.any()));
            }
            return null;
        });
        Set<Long> distinct = new HashSet<>(stamps);
        assertEquals(threads * writesEach, stamps.size());
        assertEquals(stamps.size(), distinct.size(), "no two writes share a timestamp");
        assertEquals(threads * writesEach, backend.changesSince(bucket, user, 0, 10_000).records().size());
    }

    // --- health -----------------------------------------------------------------------------------

    @Test
    void reportsHealthy() {
        assertTrue(backend.health().healthy(), backend.health().message());
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** Writes keys g0, g1, ... in one batch: a group of records sharing one timestamp. */
    private long writeGroup(int size) throws StorageException {
        List<Mutation> group = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            group.add(Mutation.put("g" + i, bytes("g")));
        }
        return backend.write(bucket, user, group);
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static List<String> keysOf(ChangePage page) {
        return page.records().stream().map(StoredRecord::key).toList();
    }

    private static void runConcurrently(int threads, Callable<Void> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return work.call();
                }));
            }
            for (Future<Void> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
