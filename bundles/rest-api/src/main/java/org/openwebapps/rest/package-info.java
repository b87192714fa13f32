/**
 * Publishing JAX-RS resources on the Open Web Apps server.
 *
 * <p>A resource is a Declarative Services component registered under its own class and marked
 * with {@link org.openwebapps.rest.JakartarsResource}; extensions (filters, exception mappers,
 * message body readers and writers) are marked with {@link org.openwebapps.rest.JakartarsExtension}.
 * The marker properties are the ones of the OSGi Jakarta RESTful Web Services Whiteboard
 * specification, so a resource bundle does not change if the runtime is replaced by a
 * specification implementation. Resources may come and go at any time; requests already in
 * flight complete.
 *
 * <p>Errors: throw a {@code jakarta.ws.rs.WebApplicationException} (or a subclass such as
 * {@code NotFoundException}); the runtime turns it into an {@link org.openwebapps.rest.ApiError}
 * JSON body unless the exception's response already carries an entity.
 *
 * <p>Web pages: {@link org.openwebapps.rest.StaticPages} serves a bundle's HTML, CSS and scripts
 * with entity tags and the security headers every page carries.
 *
 * <p>Bundles using this package should import it with the consumer range {@code [1.0,2.0)}.
 */
@Export
@Version("1.2.0")
package org.openwebapps.rest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
