package org.openwebapps.marketplace.receipts.internal;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The verifier's first check: {@code <cert>~<receipt>}, both RS256, the certificate signed by a
 * published root key, the receipt by the certified key, and the certificate's {@code [nbf, exp]}
 * covering the receipt's {@code [iat, exp]}. Certificates already proven are remembered (a node
 * makes one per signing key), so a receipt costs one signature check.
 */
final class ReceiptChain {

    /** Longest receipt read: ours are about 2 KB. */
    static final int MAX_CHARS = 16 * 1024;
    private static final int MAX_REMEMBERED = 256;

    /** A receipt that failed a check, with the verifier's reason code. */
    static final class Invalid extends Exception {

        private static final long serialVersionUID = 1L;
        private final String reason;

        Invalid(String reason, String detail) {
            super(reason + ": " + detail, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private record Certified(RSASSAVerifier verifier, String kid, long nbf, long exp) {
    }

    private final RootKeys roots;
    private final Map<String, Certified> proven = new ConcurrentHashMap<>();

    ReceiptChain(RootKeys roots) {
        this.roots = roots;
    }

    /** @return the receipt's claims, once its chain is proven */
    JsonNode decode(String text) throws Invalid {
        if (text == null || text.length() > MAX_CHARS) {
            throw decoding("no receipt, or one longer than " + MAX_CHARS + " characters");
        }
        String[] parts = text.strip().split("~", -1);
        if (parts.length != 2) {
            throw decoding("a receipt is <cert>~<receipt>");
        }
        Certified cert = certified(parts[0]);
        JWSObject receipt = rs256(parts[1], "receipt");
        if (cert.kid() != null && !cert.kid().equals(receipt.getHeader().getKeyID())) {
            throw decoding("the receipt names another key than its certificate's");
        }
        verify(receipt, cert.verifier(), "receipt");
        JsonNode claims = claims(receipt, "receipt");
        if (!claims.path("iat").isIntegralNumber() || !claims.path("exp").isIntegralNumber()) {
            throw decoding("the receipt's iat and exp must be integer seconds");
        }
        if (cert.nbf() > claims.path("iat").longValue() || cert.exp() < claims.path("exp").longValue()) {
            throw decoding("the certificate does not cover the receipt's lifetime");
        }
        return claims;
    }

    private Certified certified(String text) throws Invalid {
        Certified known = proven.get(text);
        if (known != null) {
            return known;
        }
        JWSObject cert = rs256(text, "certificate");
        RSAKey root = roots.byId(cert.getHeader().getKeyID());
        if (root == null) {
            throw decoding("the certificate is not signed by a published root key");
        }
        try {
            verify(cert, new RSASSAVerifier(root), "certificate");
        } catch (JOSEException e) {
            throw decoding("the root key is not usable: " + e.getMessage());
        }
        JsonNode claims = claims(cert, "certificate");
        JsonNode jwk = claims.path("jwk");
        RSAKey key = jwk.isArray() && jwk.size() == 1 ? Jwks.parse(jwk.get(0)) : null;
        if (!"certified-key".equals(claims.path("typ").asText()) || key == null
                || !claims.path("nbf").isIntegralNumber() || !claims.path("exp").isIntegralNumber()) {
            throw decoding("the certificate is not a certified-key with one RSA key, nbf and exp");
        }
        Certified certified;
        try {
            certified = new Certified(new RSASSAVerifier(key), jwk.get(0).path("kid").textValue(),
                    claims.path("nbf").longValue(), claims.path("exp").longValue());
        } catch (JOSEException e) {
            throw decoding("the certified key is not usable: " + e.getMessage());
        }
        if (proven.size() >= MAX_REMEMBERED) {
            proven.clear();
        }
        proven.put(text, certified);
        return certified;
    }

    private static JWSObject rs256(String text, String what) throws Invalid {
        JWSObject jws;
        try {
            jws = JWSObject.parse(text);
        } catch (ParseException e) {
            throw decoding("the " + what + " is not a compact JWS");
        }
        if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
            throw decoding("the " + what + " is not RS256");
        }
        return jws;
    }

    private static void verify(JWSObject jws, RSASSAVerifier verifier, String what) throws Invalid {
        try {
            if (!jws.verify(verifier)) {
                throw decoding("the " + what + "'s signature does not verify");
            }
        } catch (JOSEException | IllegalStateException e) {
            throw decoding("the " + what + "'s signature cannot be checked");
        }
    }

    private static JsonNode claims(JWSObject jws, String what) throws Invalid {
        JsonNode claims = AsciiJson.read(jws.getPayload().toBytes());
        if (claims == null || !claims.isObject()) {
            throw decoding("the " + what + "'s payload is not a JSON object");
        }
        return claims;
    }

    private static Invalid decoding(String detail) {
        return new Invalid("ERROR_DECODING", detail);
    }
}
