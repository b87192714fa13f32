package org.openwebapps.browserid;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Minting, as an IdP and a user agent do: an identity certificate signed by the IdP, an
 * assertion signed by the user's key, and the backed assertion {@code cert~assertion}. Times
 * are milliseconds since the epoch.
 */
public final class Certificates {

    private Certificates() {
    }

    /**
     * @param issuerKey the IdP's key
     * @param issuer    the IdP's domain ({@code iss})
     * @param principal the certified principal, e.g. {@code {"email": "a@example.com"}}
     * @param userKey   the public key being certified
     * @param issuedAt  {@code iat}
     * @param expiresAt {@code exp}; BrowserID allows at most 24 hours after {@code iat}
     */
    public static String certificate(SigningKey issuerKey, String issuer, Map<String, Object> principal,
            SigningKey userKey, long issuedAt, long expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("iat", issuedAt);
        claims.put("exp", expiresAt);
        claims.put("public-key", userKey.publicKeyJson());
        claims.put("principal", principal);
        return Jws.sign(claims, issuerKey);
    }

    /** @return an assertion for {@code audience}, valid until {@code expiresAt} */
    public static String assertion(SigningKey userKey, String audience, long expiresAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("exp", expiresAt);
        return Jws.sign(claims, userKey);
    }

    /** @return the backed assertion a relying party verifies */
    public static String backed(String certificate, String assertion) {
        return certificate + "~" + assertion;
    }
}
