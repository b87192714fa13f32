package org.openwebapps.appsync.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps AppSync", description = "The AppSync protocol handler")
@interface AppSyncConfiguration {

    @AttributeDefinition(description = "Audiences (origins) whose BrowserID assertions may log in, comma-separated")
    String[] audiences() default {};

    @AttributeDefinition(description = "AppSync's app id: the Sauropod bucket its data lives in (an origin)")
    String app_id() default "https://myapps.mozillalabs.com";

    @AttributeDefinition(description = "Poll interval sent to clients (X-Sync-Poll, X-Sync-Poll-Time) in seconds; 0: none")
    int poll_seconds() default 0;

    @AttributeDefinition(description = "How long, in milliseconds, this node answers a poll that found nothing new"
            + " from memory; a write through another node reaches its pollers within this time. 0: read storage every time")
    int poll_cache_millis() default 1000;

    @AttributeDefinition(description = "Retry-After of every 503, in seconds")
    int retry_after_seconds() default 120;

    @AttributeDefinition(description = "Most applications in one GET answer (more: incomplete, ask again)")
    int page_size() default 1000;

    @AttributeDefinition(description = "Largest POST body in bytes (413 above)")
    int max_body_bytes() default 2621440;

    @AttributeDefinition(description = "Most applications in one POST (413 above)")
    int max_records() default 500;

    @AttributeDefinition(description = "Origins allowed to call AppSync from a browser (CORS), comma-separated; * for any")
    String[] cors_origins() default {};
}
