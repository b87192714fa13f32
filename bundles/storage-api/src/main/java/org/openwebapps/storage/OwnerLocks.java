package org.openwebapps.storage;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Orders the writes of each (bucket, user) inside one JVM: a fixed set of locks that owners share
 * by hash, so unrelated owners rarely wait and nothing grows with the number of owners.
 */
public final class OwnerLocks {

    private final ReentrantLock[] locks;

    /** @param count the number of locks, at least 1 */
    public OwnerLocks(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one lock, got " + count);
        }
        locks = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** @return the lock of the owner (shared with the owners of the same hash) */
    public ReentrantLock of(Owner owner) {
        return locks[Math.floorMod(owner.hashCode(), locks.length)];
    }
}
