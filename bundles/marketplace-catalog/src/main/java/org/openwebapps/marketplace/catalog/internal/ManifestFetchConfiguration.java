package org.openwebapps.marketplace.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code org.openwebapps.marketplace.fetch}. Which hosts may be fetched over plain HTTP or at
 * non-public addresses is the outbound fetcher's ({@code org.openwebapps.fetch}): one allow-list
 * for everything the server fetches.
 */
@ObjectClassDefinition(name = "Open Web Apps Marketplace manifest fetches",
        description = "Limits of manifest fetches, on top of the outbound fetcher's rules")
@interface ManifestFetchConfiguration {

    @AttributeDefinition(description = "The whole fetch, redirects included, in milliseconds")
    int timeout_ms() default 5000;

    @AttributeDefinition(description = "The largest manifest, in bytes")
    int max_bytes() default 524288;

    @AttributeDefinition(description = "Redirects followed, each within the manifest's origin")
    int max_redirects() default 3;
}
