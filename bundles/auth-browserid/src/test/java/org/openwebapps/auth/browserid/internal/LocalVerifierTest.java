package org.openwebapps.auth.browserid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openwebapps.browserid.Algorithm;
import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.browserid.Jws;
import org.openwebapps.browserid.PublicKeys;
import org.openwebapps.browserid.SigningKey;

/** The verification rules against support documents held in a map (no network). */
class LocalVerifierTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final String RP = "https://rp.example";
    private static final SigningKey IDP = SigningKey.generate(Algorithm.RS256);
    private static final SigningKey FALLBACK = SigningKey.generate(Algorithm.RS256);
    private static final SigningKey USER = SigningKey.generate(Algorithm.DS128);

    /** domain -> document; a missing domain is "not a primary". */
    private final Map<String, SupportDocument> documents = new HashMap<>();
    private final SupportDocumentSource source = (domain, principal) -> {
        SupportDocument document = documents.get(domain);
        if (document == null) {
            throw new BrowserIdException(domain + " is not a browserid primary - non-200 response code to /.well-known/browserid");
        }
        return document;
    };

    LocalVerifierTest() throws BrowserIdException {
        documents.put("idp.example", supported(IDP));
        documents.put("fallback.example", supported(FALLBACK));
    }

    private static SupportDocument supported(SigningKey... keys) throws BrowserIdException {
        List<PublicKeys.SizedKey> sized = new ArrayList<>();
        for (SigningKey key : keys) {
            sized.add(PublicKeys.fromJson(key.publicKeyJson(), true));
        }
        return new SupportDocument.Supported(sized);
    }

    private LocalVerifier verifier(String fallback, Set<String> trusted) {
        return new LocalVerifier(source, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Duration.ofSeconds(30),
                true, fallback, trusted, 5);
    }

    private LocalVerifier verifier() {
        return verifier("fallback.example", Set.of());
    }

    static String cert(SigningKey issuerKey, String issuer, Map<String, Object> principal, SigningKey userKey,
            long exp, Long iat) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("exp", exp);
        if (iat != null) {
            claims.put("iat", iat);
        }
        claims.put("public-key", userKey.publicKeyJson());
        claims.put("principal", principal);
        return Jws.sign(claims, issuerKey);
    }

    static String assertion(SigningKey userKey, String audience, long exp, Long iat) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audience);
        claims.put("exp", exp);
        if (iat != null) {
            claims.put("iat", iat);
        }
        return Jws.sign(claims, userKey);
    }

    private static String backed(String email, SigningKey issuerKey, String issuer) {
        return cert(issuerKey, issuer, Map.of("email", email), USER, NOW + 3_600_000, NOW - 1000)
                + "~" + assertion(USER, RP, NOW + 120_000, null);
    }

    private String reason(LocalVerifier verifier, String assertion, String audience) {
        return assertThrows(BrowserIdException.class, () -> verifier.verify(assertion, audience, Set.of())).getMessage();
    }

    @Test
    void aPrimaryIdpVouchesForItsOwnDomain() throws Exception {
        LocalVerifier.Verified verified = verifier().verify(backed("alice@idp.example", IDP, "idp.example"), RP, Set.of());

        assertEquals("alice@idp.example", verified.email());
        assertTrue(verified.verified());
        assertEquals("idp.example", verified.issuer());
        assertEquals(NOW + 120_000, verified.expiresMillis());
    }

    @Test
    void theOld2011JsonBundleVerifiesToo() throws Exception {
        String cert = cert(IDP, "idp.example", Map.of("email", "alice@idp.example"), USER, NOW + 60_000, null);
        String json = "{\"certificates\":[\"" + cert + "\"],\"assertion\":\"" + assertion(USER, RP, NOW + 60_000, null) + "\"}";
        String bundle = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));

        assertEquals("alice@idp.example", verifier().verify(bundle, RP, Set.of()).email());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JUNK", "J", "\u0001\u0002", "~", "a~", "~b", "e30"})
    void junkIsMalformed(String junk) {
        assertTrue(reason(verifier(), junk, RP).startsWith("malformed"));
    }

    @Test
    void twoCertificatesAreAChain() {
        String cert = cert(IDP, "idp.example", Map.of("email", "alice@idp.example"), USER, NOW + 60_000, null);
        assertEquals("certificate chaining is not yet allowed",
                reason(verifier(), cert + "~" + cert + "~" + assertion(USER, RP, NOW + 60_000, null), RP));
    }

    @Test
    void expiredCertificateOrAssertion() {
        String expiredCert = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW - 60_000, null)
                + "~" + assertion(USER, RP, NOW + 60_000, null);
        String expiredAssertion = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW + 60_000, null)
                + "~" + assertion(USER, RP, NOW - 60_000, null);
        assertEquals("expired", reason(verifier(), expiredCert, RP));
        assertEquals("expired", reason(verifier(), expiredAssertion, RP));
    }

    @Test
    void theClockSkewIsTolerated() throws Exception {
        String justExpired = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW + 60_000, null)
                + "~" + assertion(USER, RP, NOW - 20_000, NOW + 20_000);
        assertEquals("a@idp.example", verifier().verify(justExpired, RP, Set.of()).email());
    }

    @Test
    void issuedInTheFuture() {
        String future = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW + 600_000, NOW + 120_000)
                + "~" + assertion(USER, RP, NOW + 60_000, null);
        assertEquals("issued later than verification date", reason(verifier(), future, RP));
    }

    @Test
    void anAssertionIssuedInTheFuture() {
        String future = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW + 600_000, null)
                + "~" + assertion(USER, RP, NOW + 600_000, NOW + 120_000);
        assertEquals("issued later than verification date", reason(verifier(), future, RP));
    }

    @Test
    void corruptedSignaturesOnEitherPart() {
        String good = backed("a@idp.example", IDP, "idp.example");
        String[] parts = good.split("~");
        assertEquals("invalid signature", reason(verifier(), corrupt(parts[0]) + "~" + parts[1], RP));
        assertEquals("invalid signature", reason(verifier(), parts[0] + "~" + corrupt(parts[1]), RP));
    }

    private static String corrupt(String jws) {
        int dot = jws.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(jws.substring(dot + 1));
        signature[0] ^= 0x01;
        return jws.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    @ParameterizedTest
    @CsvSource({
        "https://other.example, audience mismatch: domain mismatch",
        "https://rp.example:8443, audience mismatch: port mismatch",
        "http://rp.example, audience mismatch: scheme mismatch",
        "https://rp.example/path, audience mismatch: has non-empty path",
        "ftp://rp.example, audience mismatch: domain mismatch",
        "https://user@rp.example, audience mismatch: domain mismatch",
    })
    void wrongAudience(String audience, String expected) {
        assertEquals(expected, reason(verifier(), backed("a@idp.example", IDP, "idp.example"), audience));
    }

    @Test
    void aBareHostMeansHttpsHereAsInSauropodSoAnHttpAssertionCannotOpenTheHttpsBucket() {
        String forHttp = cert(IDP, "idp.example", Map.of("email", "a@idp.example"), USER, NOW + 3_600_000, NOW - 1000)
                + "~" + assertion(USER, "http://rp.example", NOW + 120_000, null);
        assertEquals("audience mismatch: scheme mismatch", reason(verifier(), forHttp, "rp.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://rp.example", "https://rp.example:443", "https://RP.example/", "https://rp.example:443/",
            "rp.example", "rp.example:443"})
    void sameOriginWrittenDifferently(String audience) throws Exception {
        assertEquals("a@idp.example", verifier().verify(backed("a@idp.example", IDP, "idp.example"), audience, Set.of()).email());
    }

    @Test
    void anIssuerCannotVouchForAnotherPrimarysDomain() throws Exception {
        documents.put("moz.example", supported(FALLBACK));
        assertEquals("untrusted issuer, expected 'idp.example', got 'moz.example'",
                reason(verifier(), backed("a@idp.example", FALLBACK, "moz.example"), RP));
    }

    @Test
    void theFallbackVouchesOnlyForDomainsWithoutSupport() throws Exception {
        assertEquals("fallback.example",
                verifier().verify(backed("bob@nosupport.example", FALLBACK, "fallback.example"), RP, Set.of()).issuer());
        assertEquals("untrusted issuer, expected 'idp.example', got 'fallback.example'",
                reason(verifier(), backed("bob@idp.example", FALLBACK, "fallback.example"), RP));
    }

    @Test
    void aDisabledDomainFallsBack() throws Exception {
        documents.put("off.example", new SupportDocument.Disabled());
        assertEquals("fallback.example",
                verifier().verify(backed("bob@off.example", FALLBACK, "fallback.example"), RP, Set.of()).issuer());
    }

    @Test
    void withoutFallbackADomainWithoutSupportHasNoIssuer() {
        assertTrue(reason(verifier(null, Set.of()), backed("bob@nosupport.example", FALLBACK, "fallback.example"), RP)
                .startsWith("untrusted issuer: nosupport.example is not a browserid primary"));
    }

    @Test
    void delegationIsFollowed() throws Exception {
        documents.put("mail.example", new SupportDocument.Delegated("relay.example"));
        documents.put("relay.example", new SupportDocument.Delegated("idp.example"));
        assertEquals("idp.example",
                verifier().verify(backed("carol@mail.example", IDP, "idp.example"), RP, Set.of()).issuer());
    }

    @Test
    void aDelegationToADomainWithoutSupportFallsBack() throws Exception {
        documents.put("mail.example", new SupportDocument.Delegated("gone.example"));
        assertEquals("fallback.example",
                verifier().verify(backed("dan@mail.example", FALLBACK, "fallback.example"), RP, Set.of()).issuer());
        assertEquals("untrusted issuer, expected 'fallback.example', got 'idp.example'",
                reason(verifier(), backed("dan@mail.example", IDP, "idp.example"), RP));
    }

    @Test
    void delegationCyclesAndLongChainsFail() throws Exception {
        documents.put("a.example", new SupportDocument.Delegated("b.example"));
        documents.put("b.example", new SupportDocument.Delegated("a.example"));
        assertEquals("Circular reference in delegating authority: a.example > b.example > a.example",
                reason(verifier(), backed("x@a.example", IDP, "idp.example"), RP));

        for (int i = 0; i < 7; i++) {
            documents.put("h" + i + ".example", new SupportDocument.Delegated("h" + (i + 1) + ".example"));
        }
        documents.put("h7.example", supported(IDP));
        assertTrue(reason(verifier(), backed("x@h0.example", IDP, "h7.example"), RP)
                .startsWith("Too many hops while delegating authority"));
    }

    @Test
    void keyRotationTriesEveryKey() throws Exception {
        SigningKey retired = SigningKey.generate(Algorithm.RS256);
        documents.put("idp.example", supported(retired, IDP));
        assertEquals("a@idp.example", verifier().verify(backed("a@idp.example", IDP, "idp.example"), RP, Set.of()).email());
    }

    @Test
    void explicitlyTrustedIssuersVouchForAnyDomain() throws Exception {
        documents.put("trusted.example", supported(FALLBACK));
        assertEquals("trusted.example", verifier("fallback.example", Set.of("trusted.example"))
                .verify(backed("a@idp.example", FALLBACK, "trusted.example"), RP, Set.of()).issuer());
        assertEquals("trusted.example", verifier()
                .verify(backed("a@idp.example", FALLBACK, "trusted.example"), RP, Set.of("trusted.example")).issuer());
    }

    @Test
    void unverifiedEmailNeedsAnExplicitlyTrustedIssuer() throws Exception {
        String unverified = cert(FALLBACK, "fallback.example", Map.of("unverified-email", "u@nosupport.example"), USER,
                NOW + 60_000, null) + "~" + assertion(USER, RP, NOW + 60_000, null);
        assertEquals("untrusted assertion, doesn't contain an email, and issuer is untrusted",
                reason(verifier(), unverified, RP));

        LocalVerifier.Verified verified = verifier("fallback.example", Set.of("fallback.example")).verify(unverified, RP, Set.of());
        assertEquals("u@nosupport.example", verified.email());
        assertFalse(verified.verified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b@idp.example", "a@b@idp.example", "a\n@idp.example", "a@idp.example\n",
            "a@(idp).example", "a@b.com\u0000\n@evil.com", "@idp.example", "a@"})
    void badEmailsAreRefused(String email) {
        assertEquals("bad email in certificate", reason(verifier(), backed(email, IDP, "idp.example"), RP));
    }

    @Test
    void extraClaimsAreReturned() throws Exception {
        Map<String, Object> principal = new HashMap<>(Map.of("email", "a@idp.example", "nick", "al"));
        String cert = cert(IDP, "idp.example", principal, USER, NOW + 60_000, null);
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("aud", RP, "exp", NOW + 60_000, "nonce", "n1"));
        LocalVerifier.Verified verified = verifier().verify(cert + "~" + Jws.sign(claims, USER), RP, Set.of());
        assertEquals("al", verified.idpClaims().get("nick"));
        assertEquals("n1", verified.userClaims().get("nonce"));
    }

    static Stream<Arguments> everyIdpAndUserAlgorithm() {
        return Arrays.stream(Algorithm.values())
                .flatMap(idp -> Arrays.stream(Algorithm.values()).map(user -> Arguments.of(idp, user)));
    }

    @ParameterizedTest
    @MethodSource("everyIdpAndUserAlgorithm")
    void everyKeyCombinationVerifies(Algorithm idpAlgorithm, Algorithm userAlgorithm) throws Exception {
        SigningKey idp = SigningKey.generate(idpAlgorithm);
        SigningKey user = SigningKey.generate(userAlgorithm);
        documents.put("combo.example", supported(idp));
        String bundle = cert(idp, "combo.example", Map.of("email", "a@combo.example"), user, NOW + 60_000, null)
                + "~" + assertion(user, RP, NOW + 60_000, null);
        assertEquals("a@combo.example", verifier().verify(bundle, RP, Set.of()).email());
    }
}
