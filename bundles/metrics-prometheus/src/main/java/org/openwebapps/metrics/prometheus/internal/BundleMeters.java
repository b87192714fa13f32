package org.openwebapps.metrics.prometheus.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.openwebapps.metrics.Counter;
import org.openwebapps.metrics.Meters;
import org.openwebapps.metrics.Timer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * One bundle's meters (the service is bundle scoped: each bundle that gets it has its own), all
 * removed from the registry when that bundle lets go of the service, i.e. when it stops.
 */
@Component(service = Meters.class, scope = ServiceScope.BUNDLE)
public final class BundleMeters implements Meters {

    private final PrometheusRegistry registry;
    /** By name: what this bundle registered, to answer a second ask with the same meter. */
    private final Map<String, Made> made = new ConcurrentHashMap<>();

    private record Made(String kind, List<String> labels, Collector collector, Object meter) {
    }

    @Activate
    public BundleMeters(@Reference MetricsRegistry registry) {
        this.registry = registry.registry;
    }

    @Deactivate
    void deactivate() {
        made.values().forEach(m -> registry.unregister(m.collector));
        made.clear();
    }

    @Override
    public Counter counter(String name, String help, String... labelNames) {
        return (Counter) make("counter", name, labelNames, () -> {
            io.prometheus.metrics.core.metrics.Counter counter = io.prometheus.metrics.core.metrics.Counter.builder()
                    .name(name).help(help).labelNames(labelNames).withoutExemplars().build();
            Counter meter = labelNames.length == 0 ? values -> counter.inc() : values -> counter.labelValues(values).inc();
            return new Made("counter", List.of(labelNames), counter, meter);
        });
    }

    @Override
    public Timer timer(String name, String help, String... labelNames) {
        return (Timer) make("timer", name, labelNames, () -> {
            Histogram histogram = Histogram.builder().name(name).help(help).labelNames(labelNames).classicOnly()
                    .withoutExemplars().build(); // exemplars link to traces: there are none
            Timer meter = labelNames.length == 0 ? (nanos, values) -> histogram.observe(nanos / 1e9)
                    : (nanos, values) -> histogram.labelValues(values).observe(nanos / 1e9);
            return new Made("timer", List.of(labelNames), histogram, meter);
        });
    }

    @Override
    public Registration gauge(String name, String help, DoubleSupplier value) {
        return register(name, GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).build());
    }

    @Override
    public Registration gauges(String name, String help, String labelName, Supplier<Map<String, ? extends Number>> values) {
        return register(name, GaugeWithCallback.builder().name(name).help(help).labelNames(labelName)
                .callback(callback -> values.get().forEach((label, value) -> callback.call(value.doubleValue(), label))).build());
    }

    private Registration register(String name, GaugeWithCallback gauge) {
        Made mine = new Made("gauge", List.of(), gauge, null);
        Made previous = made.put(name, mine);
        if (previous != null) { // a restarted component's gauge replaces the one reading its old state
            registry.unregister(previous.collector);
        }
        try {
            registerOrRefuse(name, gauge);
        } catch (IllegalArgumentException taken) {
            made.remove(name, mine);
            throw taken;
        }
        return () -> {
            if (made.remove(name, mine)) {
                registry.unregister(gauge);
            }
        };
    }

    private Object make(String kind, String name, String[] labelNames, Supplier<Made> create) {
        Made existing = made.computeIfAbsent(name, n -> {
            Made fresh = create.get();
            registerOrRefuse(name, fresh.collector);
            return fresh;
        });
        if (!existing.kind.equals(kind) || !existing.labels.equals(Arrays.asList(labelNames))) {
            throw new IllegalArgumentException(name + " is already a " + existing.kind + " with labels " + existing.labels);
        }
        return existing.meter;
    }

    private void registerOrRefuse(String name, Collector collector) {
        try {
            registry.register(collector);
        } catch (IllegalArgumentException | IllegalStateException taken) {
            throw new IllegalArgumentException("metric " + name + " is taken (by another bundle?): " + taken.getMessage(), taken);
        }
    }
}
