package org.openwebapps.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One named health check, registered as an OSGi service by the bundle that owns the checked
 * resource. The heartbeat endpoint calls every registered check on each request.
 *
 * <p>Implementations must be thread safe and return promptly: the caller bounds each call with a
 * timeout and counts a timeout, an exception or a {@code null} result as a failure.
 */
@ConsumerType
public interface HealthCheck {

    /**
     * The name under which the result is reported, stable across restarts and unique in the
     * server, e.g. {@code "storage.embedded"}.
     *
     * @return a short dotted lower-case name
     */
    String name();

    /**
     * Runs the check.
     *
     * @return the outcome; never {@code null}
     */
    HealthResult check();
}
