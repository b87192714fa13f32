package org.openwebapps.http.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps heartbeat",
        description = "The Dockerflow endpoints /__lbheartbeat__, /__heartbeat__ and /__version__.")
@interface HeartbeatConfiguration {

    @AttributeDefinition(name = "Check timeout",
            description = "Milliseconds /__heartbeat__ waits for all health checks; a check still "
                    + "running then counts as failed.", min = "1")
    long check_timeout_ms() default 3000;
}
