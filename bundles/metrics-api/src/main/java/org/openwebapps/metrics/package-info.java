/**
 * Metrics: how a bundle publishes what an operator watches.
 *
 * <p>A bundle gets the {@link org.openwebapps.metrics.Meters} service (an instance of its own: the
 * service is bundle scoped) and makes its meters there; they are exported at {@code /__metrics__}
 * while the bundle runs and removed when it stops, so a hot-swapped bundle leaves nothing behind.
 * Take the service as an optional dynamic reference: a server without the metrics feature runs the
 * same, unmeasured.
 *
 * <p>Names are lowercase snake_case, prefixed {@code owa_} and the bundle's role, with the unit
 * last ({@code owa_http_request_seconds}); labels are few and bounded (a route template, never a
 * URL; a backend's name, never a user).
 *
 * <p>Bundles that use this API import it with the consumer range {@code [1.0,2.0)}.
 */
@Export
@Version("1.0.0")
package org.openwebapps.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
