package org.openwebapps.sauropod.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.SauropodException.Reason;
import org.openwebapps.sauropod.Session;

/**
 * Stateless session tokens: {@code v1.<key id>.<base64url JSON {"u","b","e"}>.<base64url
 * HMAC-SHA256>}, the MAC over everything before it. Any node with the same keys checks them;
 * the MAC is compared in constant time; user, bucket and expiry cannot be changed without the key.
 */
final class Tokens {

    private static final String VERSION = "v1";
    /** Longer than any token we issue: refused before any work. */
    static final int MAX_LENGTH = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final TokenKeys keys;
    private final Clock clock;
    private final Duration ttl;

    Tokens(TokenKeys keys, Clock clock, Duration ttl) {
        this.keys = keys;
        this.clock = clock;
        this.ttl = ttl;
    }

    Session issue(String user, String bucket) {
        Instant expires = clock.instant().plus(ttl);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("u", user);
        claims.put("b", bucket);
        claims.put("e", expires.toEpochMilli());
        TokenKeys.Key key = keys.newest();
        try {
            String signed = VERSION + "." + key.id() + "." + ENCODER.encodeToString(JSON.writeValueAsBytes(claims));
            return new Session(signed + "." + ENCODER.encodeToString(mac(key, signed)), user, bucket, expires);
        } catch (IOException e) {
            throw new IllegalStateException("token claims are not serialisable", e);
        }
    }

    Session verify(String token) throws SauropodException {
        if (token == null || token.isEmpty()) {
            throw unauthenticated("missing token");
        }
        if (token.length() > MAX_LENGTH) {
            throw unauthenticated("malformed token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw unauthenticated("malformed token");
        }
        TokenKeys.Key key = keys.byId(parts[1]);
        if (key == null) {
            throw unauthenticated("token signed with an unknown key");
        }
        // compared as text: a decoder would also take padding or other trailing bits, and a token
        // has exactly one spelling (the key id and claims are spelled as signed)
        byte[] expected = ENCODER.encode(mac(key, parts[0] + "." + parts[1] + "." + parts[2]));
        if (!MessageDigest.isEqual(expected, parts[3].getBytes(US_ASCII))) {
            throw unauthenticated("invalid token signature");
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[2]));
            String user = claims.path("u").asText(null);
            String bucket = claims.path("b").asText(null);
            long expires = claims.path("e").asLong(0);
            if (user == null || bucket == null || expires <= 0) {
                throw unauthenticated("malformed token");
            }
            if (clock.millis() >= expires) {
                throw unauthenticated("token expired");
            }
            return new Session(token, user, bucket, Instant.ofEpochMilli(expires));
        } catch (IOException | IllegalArgumentException e) {
            throw unauthenticated("malformed token");
        }
    }

    private static byte[] mac(TokenKeys.Key key, String signed) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac.doFinal(signed.getBytes(US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** One Mac per thread: looking the algorithm up costs more than the MAC of a token. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    private static SauropodException unauthenticated(String why) {
        return new SauropodException(Reason.UNAUTHENTICATED, why);
    }
}
