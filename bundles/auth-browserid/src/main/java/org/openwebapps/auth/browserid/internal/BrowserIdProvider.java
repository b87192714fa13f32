package org.openwebapps.auth.browserid.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openwebapps.auth.AuthProvider;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.AuthenticationException.Kind;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.browserid.BrowserIdException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code browserid} auth provider: the credential's value is a backed assertion, its
 * audience the relying party's. The identity's claims hold {@code idpClaims} and
 * {@code userClaims} when the certificate or assertion carry extra claims.
 */
@Component(property = AuthProvider.TYPE + "=" + BrowserIdProvider.TYPE)
public final class BrowserIdProvider implements AuthProvider {

    static final String TYPE = "browserid";

    private final BrowserIdVerification verification;

    @Activate
    public BrowserIdProvider(@Reference BrowserIdVerification verification) {
        this.verification = verification;
    }

    @Override
    public Identity authenticate(Credential credential) throws AuthenticationException {
        if (credential.audience() == null || credential.audience().isBlank()) {
            throw new AuthenticationException(Kind.REJECTED, "audience mismatch: no audience given");
        }
        try {
            LocalVerifier.Verified verified = verification.verify(credential.value(), credential.audience());
            return identity(verified, credential.audience());
        } catch (BrowserIdException e) {
            throw new AuthenticationException(Kind.REJECTED, e.getMessage());
        } catch (VerifierUnavailable e) {
            throw new AuthenticationException(Kind.UNAVAILABLE, e.getMessage());
        }
    }

    static Identity identity(LocalVerifier.Verified verified, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (!verified.idpClaims().isEmpty()) {
            claims.put("idpClaims", verified.idpClaims());
        }
        if (!verified.userClaims().isEmpty()) {
            claims.put("userClaims", verified.userClaims());
        }
        return new Identity(verified.email(), verified.verified(), verified.issuer(), audience,
                Instant.ofEpochMilli(verified.expiresMillis()), TYPE, claims);
    }
}
