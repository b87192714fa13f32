package org.openwebapps.storage.jdbc;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** What differs between databases: the DDL of each schema version. */
@ConsumerType
public interface SqlDialect {

    /**
     * The schema migrations, in order: element {@code i} brings the schema from version {@code i}
     * to {@code i + 1}. Each is a list of idempotent statements ({@code CREATE ... IF NOT EXISTS}),
     * so two servers migrating at once do no harm. Never edit a released migration; append.
     */
    List<List<String>> migrations();
}
