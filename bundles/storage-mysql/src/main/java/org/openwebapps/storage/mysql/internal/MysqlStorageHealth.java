package org.openwebapps.storage.mysql.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.openwebapps.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reports this backend's health on /__heartbeat__ as {@code storage.mysql}. */
@Component(service = HealthCheck.class)
public final class MysqlStorageHealth implements HealthCheck {

    private final StorageBackend backend;

    @Activate
    public MysqlStorageHealth(@Reference(target = "(" + StorageBackend.NAME_PROPERTY + "=mysql)") StorageBackend backend) {
        this.backend = backend;
    }

    @Override
    public String name() {
        return "storage.mysql";
    }

    @Override
    public HealthResult check() {
        return backend.health();
    }
}
