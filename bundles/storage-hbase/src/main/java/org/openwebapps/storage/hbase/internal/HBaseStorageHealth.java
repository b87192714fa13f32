package org.openwebapps.storage.hbase.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageHealthCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reports this backend's health on /__heartbeat__ as {@code storage.hbase}. */
@Component(service = HealthCheck.class)
public final class HBaseStorageHealth extends StorageHealthCheck {

    @Activate
    public HBaseStorageHealth(@Reference(target = "(" + StorageBackend.NAME_PROPERTY + "=hbase)") StorageBackend backend) {
        super(backend);
    }
}
