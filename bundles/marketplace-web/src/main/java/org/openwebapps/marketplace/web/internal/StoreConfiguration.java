package org.openwebapps.marketplace.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code org.openwebapps.marketplace.web}. */
@ObjectClassDefinition(name = "Open Web Apps store pages", description = "The store's web pages at /store/")
@interface StoreConfiguration {

    @AttributeDefinition(description = "How people sign in: browserid (navigator.id from browserid.include.url) or dev"
            + " (the development IdP of a loopback server: an email typed in)")
    String signin() default "browserid";

    @AttributeDefinition(description = "Where BrowserID's include.js is loaded from (signin = browserid)")
    String browserid_include_url() default "https://login.persona.org/include.js";
}
