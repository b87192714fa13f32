/**
 * Sauropod, the one gate to user data. A {@link org.openwebapps.sauropod.Session} comes from a
 * verified credential and is carried as a signed, expiring token; with it a caller opens the
 * {@link org.openwebapps.sauropod.UserRecords} of its own (bucket, user) and no other. Records,
 * conditions and pages are the storage SPI's types.
 */
@Export
@Version("1.1.0")
package org.openwebapps.sauropod;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
