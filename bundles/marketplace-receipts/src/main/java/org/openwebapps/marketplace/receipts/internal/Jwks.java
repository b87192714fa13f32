package org.openwebapps.marketplace.receipts.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * RSA public keys as receipts publish them: both the old draft's names ({@code alg "RSA"},
 * {@code mod}, {@code exp}) that 2012 verifiers read and RFC 7517's ({@code kty}, {@code n},
 * {@code e}), equal, unpadded base64url.
 */
final class Jwks {

    private Jwks() {
    }

    static Map<String, Object> entry(RSAKey key) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("alg", "RSA");
        entry.put("mod", key.getModulus().toString());
        entry.put("exp", key.getPublicExponent().toString());
        entry.put("kty", "RSA");
        entry.put("n", key.getModulus().toString());
        entry.put("e", key.getPublicExponent().toString());
        entry.put("kid", key.getKeyID());
        entry.put("use", "sig");
        return entry;
    }

    /** @return the key of an entry (RFC 7517 names, else the draft's), or null when it holds none */
    static RSAKey parse(JsonNode entry) {
        String n = entry.path("n").isTextual() ? entry.path("n").textValue() : entry.path("mod").textValue();
        String e = entry.path("e").isTextual() ? entry.path("e").textValue() : entry.path("exp").textValue();
        if (n == null || e == null || !n.matches("[A-Za-z0-9_-]+") || !e.matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        RSAKey key = new RSAKey.Builder(new Base64URL(n), new Base64URL(e)).build();
        return key.size() < RootKeys.MIN_BITS ? null : key;
    }
}
