package org.openwebapps.storage.hbase.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps HBase storage",
        description = "Storage backend on HBase 2.x.")
@interface HBaseStorageConfiguration {

    @AttributeDefinition(name = "ZooKeeper quorum", description = "Comma-separated ZooKeeper hosts of the cluster.")
    String zookeeper_quorum() default "127.0.0.1";

    @AttributeDefinition(name = "ZooKeeper port", min = "1", max = "65535")
    int zookeeper_port() default 2181;

    @AttributeDefinition(name = "Namespace", description = "Created if missing.")
    String namespace() default "openwebapps";

    @AttributeDefinition(name = "Table", description = "Created if missing, with one column family 'd'.")
    String table() default "storage";

    @AttributeDefinition(name = "Operation timeout",
            description = "Milliseconds an operation may take, retries included, before it answers "
                    + "'unavailable'.", min = "100")
    int operation_timeout_ms() default 5000;

    @AttributeDefinition(name = "Maximum value size", description = "Largest value in bytes.", min = "1")
    int max_value_bytes() default 1024 * 1024;
}
