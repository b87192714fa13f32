package org.openwebapps.storage.router.internal;

import java.util.ArrayList;
import java.util.List;

import org.openwebapps.health.HealthCheck;
import org.openwebapps.health.HealthResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code storage.router} on {@code /__heartbeat__}: fails while the primary or the mirror is down
 * or absent (the service may still serve, degraded: the message says which), and names the
 * pending replay.
 */
@Component(service = HealthCheck.class)
public final class StorageRouterHealth implements HealthCheck {

    private final StorageRouter router;

    @Activate
    public StorageRouterHealth(@Reference StorageRouter router) {
        this.router = router;
    }

    @Override
    public String name() {
        return "storage.router";
    }

    @Override
    public HealthResult check() {
        List<String> problems = new ArrayList<>();
        int pending = 0;
        for (BackendStatus backend : router.status()) {
            pending += backend.pendingOwners();
            if (!backend.role().equals("none") && !backend.state().equals("up")) {
                problems.add(backend.role() + " " + backend.name() + " " + backend.state());
            }
        }
        String replay = pending == 0 ? "" : "; replay pending for " + pending + " owners";
        return problems.isEmpty() ? HealthResult.ok() : HealthResult.failed(String.join(", ", problems) + replay);
    }
}
