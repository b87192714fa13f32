package org.openwebapps.storage.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openwebapps.storage.MutableClock;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageBackendConformance;
import org.openwebapps.storage.StorageLimits;

/**
 * The router is a storage backend like the others: the whole conformance suite, over a primary
 * and a mirror, and at the end the mirror holds exactly what the primary holds.
 */
class RoutedStorageConformanceTest extends StorageBackendConformance {

    private RouterFixture fixture;

    @Override
    protected StorageBackend createBackend(MutableClock clock, StorageLimits limits) throws Exception {
        fixture = new RouterFixture(clock, limits);
        return fixture.router;
    }

    @Override
    protected void closeBackend(StorageBackend backend) throws Exception {
        try {
            ConsistencyCheck.Report report = ConsistencyCheck.run(fixture.router, false);
            assertTrue(report.owners() > 10, "the suite wrote through the router: " + report);
            assertEquals(0, report.differences(), "mirror equals primary: " + report.listed());
            assertEquals(0, report.pendingOwners());
        } finally {
            fixture.close();
        }
    }
}
