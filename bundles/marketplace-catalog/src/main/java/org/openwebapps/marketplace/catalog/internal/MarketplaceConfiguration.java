package org.openwebapps.marketplace.catalog.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.marketplace}; manifest fetches have their own, {@link ManifestFetchConfiguration}. */
@ObjectClassDefinition(name = "Open Web Apps Marketplace", description = "The store: sign-in, roles, catalog, installs")
@interface MarketplaceConfiguration {

    @AttributeDefinition(description = "The public origin every absolute URL starts with (no trailing slash);"
            + " empty: the origin each request came to (development only: set it in production)")
    String site_url() default "";

    @AttributeDefinition(description = "Audiences (origins) whose credentials may sign in, comma-separated; empty: site.url")
    String[] audiences() default {};

    @AttributeDefinition(description = "The Sauropod bucket of the Marketplace's session tokens (an origin); empty: site.url")
    String app_id() default "";

    @AttributeDefinition(description = "Who may submit apps (emails, comma-separated); empty: every signed-in user")
    String[] developers() default {};

    @AttributeDefinition(description = "Reviewers' emails, comma-separated")
    String[] reviewers() default {};

    @AttributeDefinition(description = "Category slugs, comma-separated")
    String[] categories() default {"games,productivity,social,utilities,education,entertainment,news,lifestyle"};

    @AttributeDefinition(description = "Price tiers, tier:amount, comma-separated")
    String[] price_tiers() default {"1:0.99,2:1.99,3:2.99,4:4.99,5:9.99"};

    @AttributeDefinition(description = "The currency of the price tiers")
    String price_currency() default "USD";

    @AttributeDefinition(description = "Largest catalog page")
    int page_max() default 100;

    @AttributeDefinition(description = "The AppSync collection installs are written to")
    String appsync_collection() default "apps";

    @AttributeDefinition(description = "Retry-After of every 503, in seconds")
    int retry_after_seconds() default 30;

    @AttributeDefinition(description = "How often this node reads catalog changes other nodes wrote, in milliseconds")
    int index_refresh_millis() default 500;

    @AttributeDefinition(description = "How often installs waiting for AppSync are retried, in milliseconds")
    int outbox_retry_millis() default 2000;

    @AttributeDefinition(description = "The storage to use: an LDAP filter on storage.name")
    String storage_target() default "(storage.name=router)";
}
