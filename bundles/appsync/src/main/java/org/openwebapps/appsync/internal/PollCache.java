package org.openwebapps.appsync.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers, for a short window, that a collection had nothing new after some time, so the polls
 * that follow are answered without a storage read (clients poll far more often than they write;
 * the 2011 sync servers kept per-user change times in memcached for the same reason).
 *
 * <p>A write through this node forgets the collection at once, and a read that began before that
 * write cannot store its older answer afterwards. A write through another node (or straight
 * through Sauropod's API) is seen here once the entry is older than the window: a poller may get
 * "nothing new" that long after it, never a wrong or missing document — its {@code since} does not
 * move, so the next poll after the window returns the write.
 */
final class PollCache {

    private record Key(String bucket, String user, String collection) {
    }

    /**
     * Either "nothing after {@code since}, uuid {@code uuid}" as read at {@code atNanos}, or (with
     * {@code written}) a write through this node at {@code atNanos}.
     */
    private record Entry(long since, String uuid, long atNanos, boolean written) {
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final int maxEntries;
    private volatile long windowNanos;

    /**
     * @param nanos      a monotonic clock ({@code System::nanoTime})
     * @param maxEntries entries kept before the expired ones (and, if need be, all) are dropped
     */
    PollCache(LongSupplier nanos, int maxEntries) {
        this.nanos = nanos;
        this.maxEntries = maxEntries;
    }

    /** @param millis how long an answer is reused; 0 switches the cache off (and empties it) */
    void window(long millis) {
        windowNanos = millis * 1_000_000L;
        if (millis == 0) {
            entries.clear();
        }
    }

    /** @return the time to pass to {@link #nothingNew} for a read starting now */
    long readStarts() {
        return nanos.getAsLong();
    }

    /**
     * @return the collection's uuid if a poll after {@code since} is known to find nothing new,
     *         else null (read storage)
     */
    String unchangedSince(String bucket, String user, String collection, long since) {
        Entry entry = entries.get(new Key(bucket, user, collection));
        return entry != null && !entry.written() && fresh(entry, nanos.getAsLong()) && since >= entry.since()
                ? entry.uuid() : null;
    }

    /** A read that began at {@code readStartedNanos} found nothing after {@code since} in a live collection. */
    void nothingNew(String bucket, String user, String collection, long since, String uuid, long readStartedNanos) {
        if (windowNanos == 0) {
            return;
        }
        entries.compute(new Key(bucket, user, collection), (key, old) ->
                old != null && old.written() && old.atNanos() - readStartedNanos >= 0 ? old // written during the read
                        : new Entry(since, uuid, readStartedNanos, false));
        if (entries.size() > maxEntries) {
            long now = nanos.getAsLong();
            entries.values().removeIf(entry -> !fresh(entry, now));
            if (entries.size() > maxEntries) {
                entries.clear();
            }
        }
    }

    /** Called after every write attempt through this node, whether it landed or not. */
    void written(String bucket, String user, String collection) {
        if (windowNanos > 0) {
            entries.put(new Key(bucket, user, collection), new Entry(0, null, nanos.getAsLong(), true));
        }
    }

    private boolean fresh(Entry entry, long now) {
        return now - entry.atNanos() < windowNanos;
    }
}
