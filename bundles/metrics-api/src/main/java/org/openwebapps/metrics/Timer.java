package org.openwebapps.metrics;

import org.osgi.annotation.versioning.ProviderType;

/** Durations, as a histogram. */
@ProviderType
public interface Timer {

    /** Records one duration for these label values (in the order the labels were named). */
    void record(long nanos, String... labelValues);
}
