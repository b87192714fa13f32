package org.openwebapps.http.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps REST runtime",
        description = "Serves the whiteboard JAX-RS resources of every bundle.")
@interface RestRuntimeConfiguration {

    @AttributeDefinition(name = "Maximum request body",
            description = "Largest request body in bytes; larger bodies are refused with 413.", min = "1")
    long max_body_bytes() default 4L * 1024 * 1024;

    @AttributeDefinition(name = "Drain timeout",
            description = "Seconds a replaced Jersey container may keep serving requests that were in "
                    + "flight when resources changed; after that it is destroyed anyway.", min = "1")
    int drain_timeout_seconds() default 30;
}
