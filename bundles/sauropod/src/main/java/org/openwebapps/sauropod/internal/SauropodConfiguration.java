package org.openwebapps.sauropod.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps Sauropod", description = "The credentialed storage gate")
@interface SauropodConfiguration {

    @AttributeDefinition(description = "Audiences (origins) that may own buckets, comma-separated; * allows any"
            + " (development only); empty: none")
    String[] audiences() default {};

    @AttributeDefinition(description = "Lifetime of a session token, in seconds")
    int token_ttl_seconds() default 3600;

    @AttributeDefinition(description = "Largest value, in bytes (413 above it); at most the backend's own limit")
    int max_value_bytes() default 65536;

    @AttributeDefinition(description = "Retry-After (seconds) sent with 503 when storage or auth is unavailable")
    int retry_after_seconds() default 5;

    @AttributeDefinition(description = "The storage to serve from, as a service filter: the router"
            + " (composing primary and mirror), or one backend's own name to bypass it")
    String storage_target() default "(storage.name=router)";

    @AttributeDefinition(name = ".token.keys", type = AttributeType.PASSWORD,
            description = "Token signing keys kid:base64[,kid:base64...], newest last (signs), all verify."
                    + " Empty: a key generated on first start in <karaf.data>/sauropod/token-keys")
    String _token_keys() default "";
}
