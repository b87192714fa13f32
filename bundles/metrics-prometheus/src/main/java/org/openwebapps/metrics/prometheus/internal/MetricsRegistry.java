package org.openwebapps.metrics.prometheus.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The server's one registry, holding every bundle's meters and the JVM's (memory, GC, threads,
 * class loading, CPU). Lives as long as this bundle: a new one starts empty.
 */
@Component(service = MetricsRegistry.class)
public final class MetricsRegistry {

    final PrometheusRegistry registry = new PrometheusRegistry();

    @Activate
    public MetricsRegistry() {
        JvmMetrics.builder().register(registry);
    }

    MetricSnapshots scrape() {
        return registry.scrape();
    }
}
