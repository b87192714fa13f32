package org.openwebapps.fetch.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps outbound fetcher",
        description = "Rules and limits for every URL the server fetches on a client's behalf")
@interface FetchConfiguration {

    @AttributeDefinition(description = "Hosts fetched over plain HTTP: host (any port) or host:port. Development"
            + " and tests only; everything else is HTTPS")
    String[] allow_http_hosts() default {};

    @AttributeDefinition(description = "Hosts that may resolve to loopback, private, link-local or other non-public"
            + " addresses: host (any port) or host:port. Empty: public addresses only")
    String[] allow_private_hosts() default {};

    @AttributeDefinition(description = "Most fetches in flight at once; past it callers are refused at once (busy)")
    int max_in_flight() default 32;

    @AttributeDefinition(description = "Most callers waiting on fetches at once, those sharing one fetch included")
    int max_waiting() default 64;

    @AttributeDefinition(description = "Most callers sharing one fetch of one URL; more are refused at once (busy)")
    int max_waiting_per_url() default 8;

    @AttributeDefinition(description = "Longest deadline any caller may ask for, in milliseconds")
    int max_deadline_ms() default 10000;

    @AttributeDefinition(description = "Largest body any caller may ask for, in bytes")
    int max_bytes() default 1048576;
}
