package org.openwebapps.storage;

import java.util.Objects;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;

/**
 * Reports a backend's {@link StorageBackend#health()} on {@code /__heartbeat__} as
 * {@code storage.<name>}. A backend bundle registers a DS component extending this class with
 * its own backend injected (target {@code (storage.name=<name>)}).
 */
public abstract class StorageHealthCheck implements HealthCheck {

    private final StorageBackend backend;

    protected StorageHealthCheck(StorageBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public final String name() {
        return "storage." + backend.name();
    }

    @Override
    public final HealthResult check() {
        return backend.health();
    }
}
