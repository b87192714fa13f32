package org.openwebapps.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who a credential proved the client to be.
 *
 * @param email    the user's email address, as the issuer certified it
 * @param verified false when the issuer certified the address without verifying it (BrowserID's
 *                 {@code unverified-email}); such an identity must never log into an account made
 *                 from a verified address
 * @param issuer   who vouched for it (a BrowserID IdP domain, say)
 * @param audience the relying party it was made for, as the client sent it
 * @param expires  when the credential stops being valid
 * @param provider the {@link AuthProvider#TYPE} that verified it
 * @param claims   further claims, provider-specific (documented by each provider)
 */
public record Identity(String email, boolean verified, String issuer, String audience, Instant expires,
        String provider, Map<String, Object> claims) {

    public Identity {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(provider, "provider");
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }
}
