package org.openwebapps.storage.router.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.openwebapps.metrics.Meters;
import org.openwebapps.metrics.Meters.Registration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The router on {@code /__metrics__}, per backend: whether it is up, the owners whose replay is
 * pending (writes it missed), and the records replayed into it since the server started. Published
 * while the metrics feature is installed (an optional reference: the router never waits for it).
 */
@Component
public final class StorageRouterMetrics {

    private final StorageRouter router;
    private final Map<Meters, List<Registration>> published = new ConcurrentHashMap<>();

    @Activate
    public StorageRouterMetrics(@Reference StorageRouter router) {
        this.router = router;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        published.put(meters, List.of(
                meters.gauges("owa_storage_backend_up", "1 while the backend is up, 0 while it is down or absent",
                        "backend", () -> perBackend(b -> b.state().equals("up") ? 1 : 0)),
                meters.gauges("owa_storage_pending_owners", "Owners whose writes the backend missed, waiting for replay",
                        "backend", () -> perBackend(BackendStatus::pendingOwners)),
                meters.gauges("owa_storage_replayed_records", "Records replayed into the backend since the server started",
                        "backend", () -> perBackend(BackendStatus::replayedRecords))));
    }

    void unbindMeters(Meters meters) {
        List<Registration> gauges = published.remove(meters);
        if (gauges != null) {
            gauges.forEach(Registration::close);
        }
    }

    @Deactivate
    void deactivate() {
        published.keySet().forEach(this::unbindMeters);
    }

    /** Backends in a role (primary or mirror) only: an installed backend in no role is not watched. */
    private Map<String, Double> perBackend(ToDoubleFunction<BackendStatus> value) {
        return router.status().stream().filter(b -> !b.role().equals("none"))
                .collect(Collectors.toMap(BackendStatus::name, value::applyAsDouble, (a, b) -> a));
    }
}
