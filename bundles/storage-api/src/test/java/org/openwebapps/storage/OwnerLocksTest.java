package org.openwebapps.storage;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

class OwnerLocksTest {

    @Test
    void anOwnerAlwaysGetsItsOneLockAndOwnersSpreadOverAll() {
        OwnerLocks locks = new OwnerLocks(8);
        assertSame(locks.of(new Owner("b", "alice")), locks.of(new Owner("b", "alice")));
        Set<ReentrantLock> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            used.add(locks.of(new Owner("b", "user" + i)));
        }
        assertTrue(used.size() == 8, "1000 owners use all 8 locks, used " + used.size());
    }

    @Test
    void needsAtLeastOneLock() {
        assertThrows(IllegalArgumentException.class, () -> new OwnerLocks(0));
    }
}
