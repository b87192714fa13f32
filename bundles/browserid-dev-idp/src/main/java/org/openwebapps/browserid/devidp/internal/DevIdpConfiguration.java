package org.openwebapps.browserid.devidp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps BrowserID development IdP")
@interface DevIdpConfiguration {

    @AttributeDefinition(description = "The IdP's domain (host:port), the domain of its users' emails;"
            + " empty: the HTTP server's host:port")
    String domain() default "";

    @AttributeDefinition(description = "The signing key's algorithm: RS256, RS128, DS128 or DS256")
    String algorithm() default "RS256";
}
