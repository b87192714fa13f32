package org.openwebapps.storage.embedded.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps embedded storage",
        description = "H2 file database, the default storage backend.")
@interface EmbeddedStorageConfiguration {

    @AttributeDefinition(name = "Directory",
            description = "Where the database files live; empty means <karaf.data>/storage/embedded.")
    String directory() default "";

    @AttributeDefinition(name = "Maximum value size", description = "Largest value in bytes.", min = "1")
    int max_value_bytes() default 1024 * 1024;

    @AttributeDefinition(name = "Connections", description = "Most open connections to the database.", min = "1")
    int max_connections() default 16;
}
