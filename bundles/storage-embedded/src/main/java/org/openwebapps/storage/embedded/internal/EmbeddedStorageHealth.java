package org.openwebapps.storage.embedded.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageHealthCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reports this backend's health on /__heartbeat__ as {@code storage.embedded}. */
@Component(service = HealthCheck.class)
public final class EmbeddedStorageHealth extends StorageHealthCheck {

    @Activate
    public EmbeddedStorageHealth(@Reference(target = "(" + StorageBackend.NAME_PROPERTY + "=embedded)") StorageBackend backend) {
        super(backend);
    }
}
