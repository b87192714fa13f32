package org.openwebapps.metrics;

import org.osgi.annotation.versioning.ProviderType;

/** A count that only goes up. */
@ProviderType
public interface Counter {

    /** Adds one for these label values (in the order the labels were named). */
    void increment(String... labelValues);
}
