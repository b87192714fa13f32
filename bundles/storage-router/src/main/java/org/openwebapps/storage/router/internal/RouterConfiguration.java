package org.openwebapps.storage.router.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps storage router",
        description = "Which backend is primary and which mirrors it; the journal of missed writes; the admin API.")
@interface RouterConfiguration {

    @AttributeDefinition(name = "Primary", description = "storage.name of the backend that serves reads and takes writes first.")
    String primary() default "embedded";

    @AttributeDefinition(name = "Mirror", description = "storage.name of the backend every write is copied to; empty for none.")
    String mirror() default "";

    @AttributeDefinition(name = "Journal directory",
            description = "Where the journal of missed writes lives; empty means <karaf.data>/storage/router.")
    String journal_directory() default "";

    @AttributeDefinition(name = "Probe interval", description = "Milliseconds between health probes of a failed backend and replay rounds.", min = "50")
    int probe_interval_ms() default 1000;

    @AttributeDefinition(name = "Call timeout",
            description = "Milliseconds after which a backend that has not answered a call is marked down and the other side serves.", min = "100")
    int call_timeout_ms() default 10000;

    @AttributeDefinition(name = "Replay page size", description = "Records copied per call when replaying.", min = "1", max = "1000")
    int replay_page_size() default 500;

    @AttributeDefinition(name = "Admin token",
            description = "Bearer token of the admin HTTP API (/admin/storage); empty disables the API.", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String _admin_token() default "";

    @AttributeDefinition(name = "Admin from other hosts", description = "Whether the admin API answers clients other than loopback.")
    boolean admin_remote() default false;
}
