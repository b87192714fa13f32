package org.openwebapps.marketplace.catalog.internal;

import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;

/** The storage the Marketplace writes to (the router) and its bucket. */
interface MarketplaceStorage {

    /**
     * The Marketplace's bucket. Not an origin, so Sauropod's HTTP API, whose buckets are
     * audiences, can never reach it: only this bundle reads and writes it.
     */
    String BUCKET = "marketplace";

    /** @throws org.openwebapps.storage.StorageUnavailableException no storage is installed */
    StorageBackend backend() throws StorageException;

    default String bucket() {
        return BUCKET;
    }
}
