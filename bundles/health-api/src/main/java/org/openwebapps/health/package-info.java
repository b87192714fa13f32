/**
 * Health check SPI.
 *
 * <p>A bundle that depends on something that can fail (a database, a remote verifier) registers a
 * {@link org.openwebapps.health.HealthCheck} service; the server's {@code /__heartbeat__} endpoint
 * runs every registered check and answers 503 while any of them fails.
 *
 * <p>Bundles that implement {@code HealthCheck} should import this package with the consumer range
 * {@code [1.0,2.0)}.
 */
@Export
@Version("1.0.0")
package org.openwebapps.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
