package org.openwebapps.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Verifies one type of credential. Register it as a service with the property
 * {@value #TYPE}; several providers of a type are tried by {@code service.ranking}, highest
 * first, and only the first one answers.
 */
@ConsumerType
public interface AuthProvider {

    /** The service property naming the credential type a provider verifies. */
    String TYPE = "auth.type";

    /**
     * @param credential a credential of this provider's type
     * @return the identity it proves
     * @throws AuthenticationException {@link AuthenticationException.Kind#REJECTED} with the
     *                                 reason, or {@code UNAVAILABLE}; never anything unchecked
     *                                 for bad input
     */
    Identity authenticate(Credential credential) throws AuthenticationException;
}
