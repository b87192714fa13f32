package org.openwebapps.storage.mysql.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageHealthCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reports this backend's health on /__heartbeat__ as {@code storage.mysql}. */
@Component(service = HealthCheck.class)
public final class MysqlStorageHealth extends StorageHealthCheck {

    @Activate
    public MysqlStorageHealth(@Reference(target = "(" + StorageBackend.NAME_PROPERTY + "=mysql)") StorageBackend backend) {
        super(backend);
    }
}
