package org.openwebapps.metrics;

import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The meters of one bundle. Asking again for a counter or timer of the same name and labels gives
 * the same meter (a component that restarts keeps counting); another kind or other labels under a
 * name already taken is an {@link IllegalArgumentException}.
 */
@ProviderType
public interface Meters {

    /** A monotonic count, exported as {@code <name>_total}. */
    Counter counter(String name, String help, String... labelNames);

    /** Durations as a histogram in seconds ({@code <name>_bucket}, {@code _count}, {@code _sum}). */
    Timer timer(String name, String help, String... labelNames);

    /**
     * A value read when the metrics are scraped. Closing the registration removes it: a component
     * closes the gauges reading its state when it deactivates.
     */
    Registration gauge(String name, String help, DoubleSupplier value);

    /** Values per label value, read when scraped (e.g. a state per backend). */
    Registration gauges(String name, String help, String labelName, Supplier<Map<String, ? extends Number>> values);

    /** A gauge's hold on its reader. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
