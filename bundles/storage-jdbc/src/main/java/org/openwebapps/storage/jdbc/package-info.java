/**
 * The storage SPI over plain JDBC, for backends that bring a {@link javax.sql.DataSource} and a
 * {@link org.openwebapps.storage.jdbc.SqlDialect}. A library, not a provider: it registers no
 * service of its own.
 *
 * <p>Schema: {@code owa_heads (bucket, user_id, last_ts)} serialises the writes of one
 * (bucket, user) through a row lock and holds its last timestamp; {@code owa_records
 * (bucket, user_id, record_key, record_value, ts, deleted)} holds records and tombstones, indexed by key
 * and by timestamp. Names and keys are stored as their UTF-8 bytes, so every database orders
 * them the same way.
 */
@Export
@Version("1.1.0")
package org.openwebapps.storage.jdbc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
