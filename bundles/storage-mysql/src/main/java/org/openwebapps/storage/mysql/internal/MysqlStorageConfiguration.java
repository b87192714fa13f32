package org.openwebapps.storage.mysql.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps MySQL storage",
        description = "Storage backend on MySQL 8 or MariaDB 10.11.")
@interface MysqlStorageConfiguration {

    @AttributeDefinition(name = "JDBC URL",
            description = "jdbc:mysql://host:port/database; the database is created if missing.")
    String url() default "jdbc:mysql://127.0.0.1:3306/openwebapps";

    @AttributeDefinition(name = "User")
    String user() default "root";

    /** The leading dot keeps the password out of the service properties. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "Connections", description = "Pool size.", min = "1")
    int max_connections() default 16;

    @AttributeDefinition(name = "Connect timeout",
            description = "Milliseconds to wait for a connection (from the pool or the server) before "
                    + "answering 'unavailable'.", min = "250")
    int connect_timeout_ms() default 2000;

    @AttributeDefinition(name = "Query timeout",
            description = "Milliseconds a query may wait on the network before it fails.", min = "1")
    int socket_timeout_ms() default 10000;

    @AttributeDefinition(name = "Maximum value size", description = "Largest value in bytes.", min = "1")
    int max_value_bytes() default 1024 * 1024;
}
