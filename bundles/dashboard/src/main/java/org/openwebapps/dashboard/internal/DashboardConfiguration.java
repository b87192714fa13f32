package org.openwebapps.dashboard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.dashboard}. */
@ObjectClassDefinition(name = "Open Web Apps Dashboard", description = "The page listing a user's synced apps")
@interface DashboardConfiguration {

    @AttributeDefinition(description = "How people sign in: browserid (navigator.id from browserid.include.url) or dev"
            + " (the development IdP of a loopback server: an email typed in)")
    String signin() default "browserid";

    @AttributeDefinition(description = "Where BrowserID's include.js is loaded from (signin = browserid)")
    String browserid_include_url() default "https://login.persona.org/include.js";

    @AttributeDefinition(description = "How often the page asks AppSync for changes (seconds), unless AppSync says otherwise"
            + " (X-Sync-Poll-Time)")
    int poll_seconds() default 10;
}
