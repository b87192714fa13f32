package org.openwebapps.appsync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PollCacheTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private PollCache cache;

    @BeforeEach
    void oneSecondWindow() {
        cache = new PollCache(now::get, 3);
        cache.window(1000);
    }

    @Test
    void nothingNewIsReusedForLaterSincesWithinTheWindow() {
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", cache.readStarts());
        assertEquals("uuid-1", cache.unchangedSince("b", "alice", "apps", 100));
        assertEquals("uuid-1", cache.unchangedSince("b", "alice", "apps", 250));
        assertNull(cache.unchangedSince("b", "alice", "apps", 90), "an earlier since may have changes to return");
        assertNull(cache.unchangedSince("b", "bob", "apps", 100));
        assertNull(cache.unchangedSince("b", "alice", "other", 100));
        assertNull(cache.unchangedSince("other-bucket", "alice", "apps", 100));

        now.addAndGet(999 * MS);
        assertEquals("uuid-1", cache.unchangedSince("b", "alice", "apps", 100));
        now.addAndGet(MS);
        assertNull(cache.unchangedSince("b", "alice", "apps", 100), "older than the window: read storage");
    }

    @Test
    void aWriteThroughThisNodeForgetsAtOnce() {
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", cache.readStarts());
        cache.written("b", "alice", "apps");
        assertNull(cache.unchangedSince("b", "alice", "apps", 100));
    }

    @Test
    void aReadThatBeganBeforeAWriteCannotStoreItsAnswerAfterIt() {
        long readBegins = cache.readStarts();
        now.addAndGet(MS);
        cache.written("b", "alice", "apps"); // lands while the read runs; the read may not have seen it
        now.addAndGet(MS);
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", readBegins);
        assertNull(cache.unchangedSince("b", "alice", "apps", 100));

        long laterRead = cache.readStarts(); // began after the write: it saw it
        cache.nothingNew("b", "alice", "apps", 200, "uuid-1", laterRead);
        assertEquals("uuid-1", cache.unchangedSince("b", "alice", "apps", 200));
    }

    @Test
    void anAnswerReadLongerAgoThanTheWindowIsNeverUsed() {
        long readBegins = cache.readStarts();
        now.addAndGet(2000 * MS); // a slow read
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", readBegins);
        assertNull(cache.unchangedSince("b", "alice", "apps", 100));
    }

    @Test
    void aZeroWindowSwitchesTheCacheOff() {
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", cache.readStarts());
        cache.window(0);
        assertNull(cache.unchangedSince("b", "alice", "apps", 100));
        cache.nothingNew("b", "alice", "apps", 100, "uuid-1", cache.readStarts());
        assertNull(cache.unchangedSince("b", "alice", "apps", 100));
    }

    @Test
    void beyondItsSizeItDropsExpiredEntriesThenEverything() {
        cache.nothingNew("b", "u1", "apps", 100, "uuid-1", cache.readStarts());
        cache.nothingNew("b", "u2", "apps", 100, "uuid-2", cache.readStarts());
        now.addAndGet(1500 * MS);
        cache.nothingNew("b", "u3", "apps", 100, "uuid-3", cache.readStarts());
        cache.nothingNew("b", "u4", "apps", 100, "uuid-4", cache.readStarts()); // 4 > 3: the expired two go
        assertEquals("uuid-3", cache.unchangedSince("b", "u3", "apps", 100));
        assertEquals("uuid-4", cache.unchangedSince("b", "u4", "apps", 100));

        cache.nothingNew("b", "u5", "apps", 100, "uuid-5", cache.readStarts());
        cache.nothingNew("b", "u6", "apps", 100, "uuid-6", cache.readStarts()); // 4 fresh > 3: all go
        assertNull(cache.unchangedSince("b", "u3", "apps", 100));
        assertNull(cache.unchangedSince("b", "u6", "apps", 100));
    }
}
