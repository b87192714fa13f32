/**
 * The auth SPI. An {@link org.openwebapps.auth.AuthProvider} service turns one type of
 * {@link org.openwebapps.auth.Credential} (a BrowserID assertion, say) into a verified
 * {@link org.openwebapps.auth.Identity}. Callers never pick a provider: they ask the
 * {@link org.openwebapps.auth.Authenticator} service, which asks the highest-ranked provider of
 * the credential's type. A provider that goes away makes its credentials fail, never throw
 * anything else.
 */
@Export
@Version("1.1.0")
package org.openwebapps.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
