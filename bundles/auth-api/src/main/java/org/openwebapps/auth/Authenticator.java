package org.openwebapps.auth;

import org.osgi.annotation.versioning.ProviderType;

/** The one service callers use to authenticate: it dispatches to the installed providers. */
@ProviderType
public interface Authenticator {

    /**
     * @param credential any credential
     * @return the identity it proves, from the highest-ranked provider of its type
     * @throws AuthenticationException rejected, no provider of the type, or provider unavailable
     */
    Identity authenticate(Credential credential) throws AuthenticationException;
}
