package org.openwebapps.storage.router.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.Owner;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StoredRecord;

/**
 * Compares the primary and the mirror owner by owner, record by record (tombstones included), and
 * on request repairs: the newer version of a record is copied to the side holding an older one or
 * none. Each owner is compared under its lock, so writes in flight cannot show as differences;
 * owners with a replay pending are counted, not compared (they differ by design until copied).
 * Holds the set of owners in memory: fine for millions, not for billions.
 */
final class ConsistencyCheck {

    /** How many differences a report lists; the counts cover all. */
    static final int LISTED = 100;

    /**
     * @param key     the record's key
     * @param primary the primary's version (timestamp, then "deleted" or its size), or {@code missing}
     * @param mirror  the mirror's version, or {@code missing}
     */
    public record Difference(String bucket, String user, String key, String primary, String mirror) {
    }

    public record Report(String primary, String mirror, int owners, long records, int pendingOwners, int differences,
            int repaired, int unrepairable, List<Difference> listed) {

        public boolean identical() {
            return differences == 0 && pendingOwners == 0;
        }
    }

    private ConsistencyCheck() {
    }

    static Report run(StorageRouter router, boolean repair) throws StorageException {
        String primaryName = router.primaryName();
        String mirrorName = router.mirrorName();
        if (mirrorName == null) {
            throw new IllegalStateException("no mirror configured: nothing to compare");
        }
        StorageBackend primary = router.backend(primaryName)
                .orElseThrow(() -> new IllegalStateException(primaryName + " is not installed"));
        StorageBackend mirror = router.backend(mirrorName)
                .orElseThrow(() -> new IllegalStateException(mirrorName + " is not installed"));
        Set<Owner> owners = new LinkedHashSet<>();
        collectOwners(primary, owners);
        collectOwners(mirror, owners);

        long records = 0;
        int pending = 0;
        int differences = 0;
        int repaired = 0;
        int unrepairable = 0;
        List<Difference> listed = new ArrayList<>();
        for (Owner owner : owners) {
            ReentrantLock lock = router.lockOf(owner);
            lock.lock();
            try {
                if (router.pending(primaryName, owner) || router.pending(mirrorName, owner)) {
                    pending++;
                    continue;
                }
                Map<String, StoredRecord> inPrimary = all(primary, owner);
                Map<String, StoredRecord> inMirror = all(mirror, owner);
                Set<String> keys = new LinkedHashSet<>(inPrimary.keySet());
                keys.addAll(inMirror.keySet());
                for (String key : keys) {
                    records++;
                    StoredRecord p = inPrimary.get(key);
                    StoredRecord m = inMirror.get(key);
                    if (same(p, m)) {
                        continue;
                    }
                    differences++;
                    if (listed.size() < LISTED) {
                        listed.add(new Difference(owner.bucket(), owner.user(), key, describe(p), describe(m)));
                    }
                    if (repair) {
                        if (p != null && (m == null || p.timestamp() > m.timestamp())) {
                            mirror.replicate(owner.bucket(), owner.user(), List.of(p));
                            repaired++;
                        } else if (m != null && (p == null || m.timestamp() > p.timestamp())) {
                            primary.replicate(owner.bucket(), owner.user(), List.of(m));
                            repaired++;
                        } else {
                            unrepairable++; // one timestamp, two contents: replication never overwrites an equal version
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        return new Report(primaryName, mirrorName, owners.size(), records, pending, differences, repaired,
                unrepairable, listed);
    }

    private static void collectOwners(StorageBackend backend, Set<Owner> owners) throws StorageException {
        Owner after = null;
        while (true) {
            List<Owner> page = backend.owners(after, 1000);
            owners.addAll(page);
            if (page.size() < 1000) {
                return;
            }
            after = page.get(page.size() - 1);
        }
    }

    private static Map<String, StoredRecord> all(StorageBackend backend, Owner owner) throws StorageException {
        Map<String, StoredRecord> records = new TreeMap<>();
        long since = 0;
        while (true) {
            ChangePage page = backend.changesSince(owner.bucket(), owner.user(), since, 1000);
            for (StoredRecord record : page.records()) {
                records.put(record.key(), record);
            }
            if (!page.more()) {
                return records;
            }
            since = page.until(since);
        }
    }

    private static boolean same(StoredRecord a, StoredRecord b) {
        return a != null && b != null && a.timestamp() == b.timestamp() && a.deleted() == b.deleted()
                && Arrays.equals(a.value(), b.value());
    }

    private static String describe(StoredRecord record) {
        if (record == null) {
            return "missing";
        }
        return record.timestamp() + (record.deleted() ? " deleted" : " " + record.value().length + " bytes");
    }
}
