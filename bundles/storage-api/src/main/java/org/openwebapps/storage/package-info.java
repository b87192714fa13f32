/**
 * The storage SPI: Sauropod's data model, {@code (bucket, user, key) -> value}, with a server
 * timestamp and an ETag per record.
 *
 * <p>Backends (embedded H2, MySQL, HBase) implement {@link org.openwebapps.storage.StorageBackend}
 * and register it as a service; they must pass the conformance suite shipped in this module's
 * test-jar. Callers see only the types of this package: no vendor exception crosses it.
 *
 * <p>Backends import this package with the consumer range {@code [3.0,4.0)}.
 */
@Export
@Version("3.1.0")
package org.openwebapps.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
