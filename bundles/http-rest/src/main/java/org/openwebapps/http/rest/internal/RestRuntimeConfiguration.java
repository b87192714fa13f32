package org.openwebapps.http.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps REST runtime",
        description = "Serves the whiteboard JAX-RS resources of every bundle.")
@interface RestRuntimeConfiguration {

    @AttributeDefinition(name = "Maximum request body",
            description = "Largest request body in bytes; larger bodies are refused with 413.", min = "1")
    long max_body_bytes() default 4L * 1024 * 1024;

    @AttributeDefinition(name = "Body timeout",
            description = "Milliseconds a client has to send a whole request body; slower ones get 408."
                    + " Bodies are read without holding a thread, so slow senders cost only connections.", min = "100")
    long body_timeout_ms() default 10000;

    @AttributeDefinition(name = "Trusted proxies",
            description = "IP addresses or CIDR blocks of reverse proxies whose Forwarded / X-Forwarded-Proto /"
                    + " X-Forwarded-Host headers say how clients reached the server (URLs handed to clients use"
                    + " them). Empty: such headers are ignored")
    String[] trusted_proxies() default {};

    @AttributeDefinition(name = "Drain timeout",
            description = "Seconds a replaced Jersey container may keep serving requests that were in "
                    + "flight when resources changed; after that it is destroyed anyway.", min = "1")
    int drain_timeout_seconds() default 30;
}
