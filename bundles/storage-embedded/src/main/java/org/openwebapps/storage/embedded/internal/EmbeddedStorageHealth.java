package org.openwebapps.storage.embedded.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reports this backend's health on /__heartbeat__ as {@code storage.embedded}. */
@Component(service = HealthCheck.class)
public final class EmbeddedStorageHealth implements HealthCheck {

    private final StorageBackend backend;

    @Activate
    public EmbeddedStorageHealth(@Reference(target = "(" + StorageBackend.NAME_PROPERTY + "=embedded)") StorageBackend backend) {
        this.backend = backend;
    }

    @Override
    public String name() {
        return "storage.embedded";
    }

    @Override
    public HealthResult check() {
        return backend.health();
    }
}
