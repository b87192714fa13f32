package org.openwebapps.metrics.prometheus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps metrics", description = "GET /__metrics__ in Prometheus' text format.")
public @interface MetricsConfiguration {

    @AttributeDefinition(name = ".token", description = "A bearer token a scraper sends (Authorization: Bearer ...). "
            + "Empty: only direct loopback clients (no proxy headers) may read the metrics.")
    String _token() default "";
}
