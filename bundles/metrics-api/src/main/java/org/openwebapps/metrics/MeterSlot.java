package org.openwebapps.metrics;

import java.util.function.Function;

/**
 * A meter that exists while a {@link Meters} service is bound through an optional dynamic
 * reference: {@link #get()} is null while none is, so a bundle measures when the metrics feature
 * is installed and runs the same without it.
 *
 * <pre>
 * private final MeterSlot&lt;Counter&gt; polls = new MeterSlot&lt;&gt;(m -&gt; m.counter("owa_appsync_polls", "...", "answered"));
 *
 * &#64;Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
 * void bindMeters(Meters meters) { polls.bind(meters); }
 * void unbindMeters(Meters meters) { polls.unbind(meters); }
 * </pre>
 *
 * @param <T> the meter
 */
public final class MeterSlot<T> {

    private record Bound<T>(Meters meters, T meter) {
    }

    private final Function<Meters, T> make;
    private volatile Bound<T> bound;

    /** @param make makes the meter from a newly bound service */
    public MeterSlot(Function<Meters, T> make) {
        this.make = make;
    }

    public synchronized void bind(Meters meters) {
        bound = new Bound<>(meters, make.apply(meters));
    }

    /** Unbinding a service that a newer one already replaced (a greedy reference) changes nothing. */
    public synchronized void unbind(Meters meters) {
        Bound<T> current = bound;
        if (current != null && current.meters() == meters) {
            bound = null;
        }
    }

    /** @return the meter, or null while no metrics service is bound */
    public T get() {
        Bound<T> current = bound;
        return current == null ? null : current.meter();
    }
}
