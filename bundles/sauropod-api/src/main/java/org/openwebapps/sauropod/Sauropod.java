package org.openwebapps.sauropod;

import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.osgi.annotation.versioning.ProviderType;

/** The gate: sessions from credentials, records behind the access rule. */
@ProviderType
public interface Sauropod {

    /**
     * Verifies a credential through the auth SPI and opens a session for its user in the bucket
     * of its audience.
     *
     * @throws SauropodException UNAUTHENTICATED (the credential proves nothing), FORBIDDEN (its
     *                           audience may not own a bucket), INVALID (no usable audience),
     *                           UNAVAILABLE (the provider cannot decide now)
     */
    Session startSession(Credential credential) throws SauropodException;

    /**
     * Opens a session for a user that an in-process protocol handler has authenticated itself
     * through the auth SPI (AppSync logs users in with its own API, into its own bucket). The
     * handler names its bucket from its own configuration; Sauropod's {@code audiences} govern
     * only {@link #startSession}, where clients name it.
     *
     * @param identity an identity from the {@code Authenticator}; unverified emails are refused
     * @param bucket   the bucket (normalised like an audience)
     * @throws SauropodException UNAUTHENTICATED (unverified email), INVALID (bucket not an origin)
     */
    Session openSession(Identity identity, String bucket) throws SauropodException;

    /**
     * @param token a token from {@link #startSession}, on any node sharing the signing keys
     * @return its session
     * @throws SauropodException UNAUTHENTICATED: missing, malformed, forged, expired or signed
     *                           by a key no longer configured
     */
    Session resume(String token) throws SauropodException;

    /**
     * The access rule: {@code bucket} must be the session's bucket and {@code user} its user.
     *
     * @param bucket the bucket a request names (normalised before comparing)
     * @param user   the user a request names
     * @throws SauropodException FORBIDDEN when either differs
     */
    UserRecords records(Session session, String bucket, String user) throws SauropodException;

    /** @return whether a storage backend is there and healthy (for health checks: may ask its server) */
    boolean storageAvailable();

    /** @return the normalised origin of an audience: {@code scheme://host[:port]}, lower case, https by default */
    String normaliseAudience(String audience) throws SauropodException;
}
