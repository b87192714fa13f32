package org.openwebapps.sauropod.internal;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code sauropod}: fails while Sauropod has no storage backend to serve from, so a load balancer
 * steers clients to nodes that have one. The backend's own health is its own check.
 */
@Component
public final class SauropodHealth implements HealthCheck {

    private final SauropodService sauropod;

    @Activate
    public SauropodHealth(@Reference SauropodService sauropod) {
        this.sauropod = sauropod;
    }

    @Override
    public String name() {
        return "sauropod";
    }

    @Override
    public HealthResult check() {
        return sauropod.storageAvailable() ? HealthResult.ok()
                : HealthResult.failed("no healthy storage backend matches storage.target");
    }
}
