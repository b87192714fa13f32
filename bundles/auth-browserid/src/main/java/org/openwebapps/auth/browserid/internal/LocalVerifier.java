package org.openwebapps.auth.browserid.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.browserid.Jws;
import org.openwebapps.browserid.PublicKeys;

/**
 * Verifies a backed assertion offline, except for support documents. In order: unbundle (one
 * certificate exactly), the email, the audience, the times, who may vouch for the email's domain,
 * then the certificate's signature with the issuer's keys and the assertion's with the
 * certified key.
 */
final class LocalVerifier {

    /** The outcome of a verification that passed. */
    record Verified(String email, boolean verified, String issuer, long expiresMillis,
            Map<String, Object> idpClaims, Map<String, Object> userClaims) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CERT_CLAIMS = Set.of("iss", "exp", "iat", "public-key", "pubkey", "principal", "sub");
    private static final Set<String> ASSERTION_CLAIMS = Set.of("aud", "exp", "iat");

    private final SupportDocumentSource documents;
    private final Clock clock;
    private final long skewMillis;
    private final boolean allowWeakKeys;
    private final String fallbackIssuer;
    private final Set<String> trustedIssuers;
    private final int maxDelegations;

    LocalVerifier(SupportDocumentSource documents, Clock clock, Duration skew, boolean allowWeakKeys,
            String fallbackIssuer, Set<String> trustedIssuers, int maxDelegations) {
        this.documents = documents;
        this.clock = clock;
        this.skewMillis = skew.toMillis();
        this.allowWeakKeys = allowWeakKeys;
        this.fallbackIssuer = fallbackIssuer == null || fallbackIssuer.isBlank() ? null : fallbackIssuer;
        this.trustedIssuers = Set.copyOf(trustedIssuers);
        this.maxDelegations = maxDelegations;
    }

    /**
     * @param assertion       {@code cert~assertion} or the 2011 base64url JSON bundle
     * @param audience        the relying party's audience
     * @param extraTrusted    issuers this caller trusts for any domain, besides the configured ones
     */
    Verified verify(String assertion, String audience, Set<String> extraTrusted) throws BrowserIdException, VerifierUnavailable {
        List<String> parts = unbundle(assertion);
        if (parts.size() > 2) {
            throw new BrowserIdException("certificate chaining is not yet allowed");
        }
        Jws cert = Jws.parse(parts.get(0));
        Jws signed = Jws.parse(parts.get(1));
        Map<String, Object> principal = cert.payload().get("principal") instanceof Map<?, ?> map ? cast(map) : Map.of();
        Object email = principal.containsKey("email") ? principal.get("email") : cert.payload().get("sub");
        Object unverified = principal.get("unverified-email");
        boolean verifiedEmail = email != null;
        String address = String.valueOf(verifiedEmail ? email : unverified);
        if (!verifiedEmail && unverified == null) {
            throw new BrowserIdException("malformed assertion: the certificate names no email");
        }
        if (!Emails.valid(address)) {
            throw new BrowserIdException("bad email in certificate");
        }
        if (!(cert.payload().get("iss") instanceof String issuer) || issuer.isEmpty()) {
            throw new BrowserIdException("malformed assertion: the certificate has no issuer");
        }
        if (!(signed.payload().get("aud") instanceof String aud)) {
            throw new BrowserIdException("malformed assertion: no audience");
        }
        AudienceMatch.check(aud, audience);
        long now = clock.millis();
        checkTimes(cert.payload(), now);
        long expires = checkTimes(signed.payload(), now);

        boolean explicitlyTrusted = trustedIssuers.contains(issuer) || extraTrusted.contains(issuer);
        if (!verifiedEmail && !explicitlyTrusted) {
            throw new BrowserIdException("untrusted assertion, doesn't contain an email, and issuer is untrusted");
        }
        String domain = Emails.domain(address);
        if (!explicitlyTrusted) {
            String expected = authoritativeIssuer(domain);
            if (!expected.equals(issuer)) {
                throw new BrowserIdException("untrusted issuer, expected '" + expected + "', got '" + issuer + "'");
            }
        }

        verifyWithAnyKey(cert, issuerKeys(issuer, domain));
        Object userKey = cert.payload().containsKey("public-key") ? cert.payload().get("public-key") : cert.payload().get("pubkey");
        signed.verify(PublicKeys.fromJson(userKey, allowWeakKeys));

        Map<String, Object> idpClaims = new LinkedHashMap<>();
        cert.payload().forEach((name, value) -> {
            if (!CERT_CLAIMS.contains(name)) {
                idpClaims.put(name, value);
            }
        });
        principal.forEach((name, value) -> {
            if (!name.equals("email")) {
                idpClaims.put(name, value);
            }
        });
        Map<String, Object> userClaims = new LinkedHashMap<>();
        signed.payload().forEach((name, value) -> {
            if (!ASSERTION_CLAIMS.contains(name)) {
                userClaims.put(name, value);
            }
        });
        return new Verified(address, verifiedEmail, issuer, expires, idpClaims, userClaims);
    }

    /** The issuer that may vouch for {@code domain}: the end of its delegation chain, else the fallback. */
    private String authoritativeIssuer(String domain) throws BrowserIdException, VerifierUnavailable {
        List<String> chain = new ArrayList<>();
        String current = domain;
        String whyNot;
        while (true) {
            chain.add(current);
            SupportDocument document;
            try {
                document = documents.fetch(current, domain);
            } catch (BrowserIdException e) {
                whyNot = e.getMessage();
                break;
            }
            if (document instanceof SupportDocument.Supported) {
                return current;
            }
            if (document instanceof SupportDocument.Disabled) {
                whyNot = current + " disabled BrowserID support";
                break;
            }
            String next = ((SupportDocument.Delegated) document).authority();
            if (chain.contains(next)) {
                throw new BrowserIdException("Circular reference in delegating authority: "
                        + String.join(" > ", chain) + " > " + next);
            }
            if (chain.size() > maxDelegations) {
                throw new BrowserIdException("Too many hops while delegating authority: " + String.join(" > ", chain));
            }
            current = next;
        }
        if (fallbackIssuer == null) {
            throw new BrowserIdException("untrusted issuer: " + whyNot + ", and no fallback IdP is configured");
        }
        return fallbackIssuer;
    }

    private List<PublicKeys.SizedKey> issuerKeys(String issuer, String principalDomain) throws BrowserIdException, VerifierUnavailable {
        SupportDocument document = documents.fetch(issuer, principalDomain);
        if (document instanceof SupportDocument.Supported supported) {
            return supported.keys();
        }
        throw new BrowserIdException("issuer " + issuer + " publishes no keys");
    }

    /** Key rotation: the certificate verifies if any of the issuer's keys signed it. */
    private static void verifyWithAnyKey(Jws cert, List<PublicKeys.SizedKey> keys) throws BrowserIdException {
        BrowserIdException last = new BrowserIdException("invalid signature");
        for (PublicKeys.SizedKey key : keys) {
            try {
                cert.verify(key);
                return;
            } catch (BrowserIdException e) {
                last = e;
            }
        }
        throw last;
    }

    /** @return the object's {@code exp} (ms) once it is neither expired nor issued in the future */
    private long checkTimes(Map<String, Object> claims, long now) throws BrowserIdException {
        if (!(claims.get("exp") instanceof Number exp)) {
            throw new BrowserIdException("malformed assertion: no expiry");
        }
        if (exp.longValue() < now - skewMillis) {
            throw new BrowserIdException("expired");
        }
        Object iat = claims.get("iat");
        if (iat != null && !(iat instanceof Number)) {
            throw new BrowserIdException("malformed assertion: bad issue time");
        }
        if (iat != null && ((Number) iat).longValue() > now + skewMillis) {
            throw new BrowserIdException("issued later than verification date");
        }
        return exp.longValue();
    }

    /** {@code cert~...~assertion}, or the 2011 {@code base64url({"certificates":[...],"assertion":...})}. */
    private static List<String> unbundle(String bundle) throws BrowserIdException {
        if (bundle == null || bundle.isEmpty() || bundle.length() > 4 * Jws.MAX_LENGTH) {
            throw new BrowserIdException("malformed assertion");
        }
        List<String> parts = new ArrayList<>();
        if (bundle.indexOf('~') >= 0) {
            parts.addAll(List.of(bundle.split("~", -1)));
        } else {
            try {
                Map<?, ?> json = JSON.readValue(new String(Base64.getUrlDecoder().decode(bundle.replace("=", "")), UTF_8), Map.class);
                if (json.get("certificates") instanceof List<?> certs && json.get("assertion") instanceof String a) {
                    for (Object cert : certs) {
                        parts.add(String.valueOf(cert));
                    }
                    parts.add(a);
                }
            } catch (IllegalArgumentException | IOException e) { // not base64url, not JSON: junk
                throw new BrowserIdException("malformed assertion");
            }
        }
        if (parts.size() < 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new BrowserIdException("malformed assertion" + (parts.size() == 1 ? ": no certificate" : ""));
        }
        return parts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
