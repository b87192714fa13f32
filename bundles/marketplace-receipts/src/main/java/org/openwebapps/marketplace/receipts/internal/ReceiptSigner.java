package org.openwebapps.marketplace.receipts.internal;

import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

import org.openwebapps.marketplace.receipts.ReceiptIssuer;

/**
 * Signs receipts (contract: spec/marketplace.md section 6) with this node's signing key, a fresh
 * RSA key certified by the root key and replaced every {@code rotateSeconds} or on demand. A
 * certificate's {@code [nbf, exp]} spans every receipt its key may sign (its life plus the longest
 * receipt expiry, and a minute either side for reads of the clock around a rotation), so a receipt
 * stays valid after its key is retired: the verifier needs only the root key.
 */
final class ReceiptSigner {

    static final String API = "/marketplace/api/v1";
    static final String ROOT_KEY_PATH = "/marketplace/public_keys/root.jwk";
    static final String VERIFY_PATH = "/marketplace/verify/";
    static final String TEST_VERIFY_PATH = VERIFY_PATH + "test/";
    static final List<String> TEST_TYPES = List.of("ok", "pending", "expired", "refunded", "invalid");
    private static final int SIGNING_BITS = 2048;
    private static final long GRACE_SECONDS = 60;
    /** Certificates are made per site URL (usually one); more than this many means a flood of Host headers. */
    private static final int MAX_CERTS = 16;

    /** A signing key and what certifies it. */
    static final class SigningKey {
        private final RSAKey key;
        private final RSASSASigner signer;
        private final long created;
        private final long retireAt;
        private final ConcurrentMap<String, String> certs = new ConcurrentHashMap<>();

        private SigningKey(RSAKey key, long created, long retireAt) throws JOSEException {
            this.key = key;
            this.signer = new RSASSASigner(key);
            this.created = created;
            this.retireAt = retireAt;
        }

        String kid() {
            return key.getKeyID();
        }

        long retireAt() {
            return retireAt;
        }
    }

    private final RootKeys roots;
    private final Clock clock;
    private final long receiptExpiry;
    private final long testExpiry;
    private final long rotateSeconds;
    private volatile SigningKey current;

    ReceiptSigner(RootKeys roots, Clock clock, long receiptExpiry, long testExpiry, long rotateSeconds) {
        if (receiptExpiry <= 0 || testExpiry <= 0 || rotateSeconds <= 0) {
            throw new IllegalArgumentException("receipt expiries and the signing key's rotation period must be positive");
        }
        this.roots = roots;
        this.clock = clock;
        this.receiptExpiry = receiptExpiry;
        this.testExpiry = testExpiry;
        this.rotateSeconds = rotateSeconds;
        rotate();
    }

    RootKeys roots() {
        return roots;
    }

    long rotateSeconds() {
        return rotateSeconds;
    }

    /** @return the key now signing (the one it replaced stays valid for what it signed) */
    synchronized SigningKey rotate() {
        long now = seconds();
        try {
            RSAKey key = new RSAKeyGenerator(SIGNING_BITS).keyIDFromThumbprint(true).generate();
            current = new SigningKey(key, now, now + rotateSeconds);
            return current;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA signing key", e);
        }
    }

    SigningKey signingKey() {
        SigningKey key = current;
        if (seconds() >= key.retireAt) {
            synchronized (this) {
                key = current;
                if (seconds() >= key.retireAt) {
                    key = rotate(); // the schedule is late (a paused machine): never sign past a key's certificate
                }
            }
        }
        return key;
    }

    String issue(ReceiptIssuer.Product product, String purchaseUuid, String siteUrl) {
        return receipt("purchase-receipt", product.url(), product.appId(), purchaseUuid, receiptExpiry,
                siteUrl + VERIFY_PATH + product.appId(), siteUrl);
    }

    /** @param type one of {@link #TEST_TYPES}: what the test verifier answers for it */
    String issueTest(String productUrl, String type, String siteUrl) {
        return receipt("test-receipt", productUrl, 0, UUID.randomUUID().toString(), testExpiry,
                siteUrl + TEST_VERIFY_PATH + type, siteUrl);
    }

    private String receipt(String typ, String productUrl, long appId, String user, long expiry, String verify, String siteUrl) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("url", productUrl);
        product.put("storedata", "id=" + appId);
        Map<String, Object> directed = new LinkedHashMap<>();
        directed.put("type", "directed-identifier");
        directed.put("value", user);
        SigningKey key = signingKey();
        long now = seconds();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("typ", typ);
        claims.put("product", product);
        claims.put("user", directed);
        claims.put("iss", siteUrl);
        claims.put("nbf", now);
        claims.put("iat", now);
        claims.put("exp", now + expiry);
        claims.put("detail", siteUrl + API + (appId == 0 ? "/receipts/test" : "/apps/" + appId));
        claims.put("verify", verify);
        claims.put("reissue", siteUrl + API + "/receipts/reissue");
        return sign(key, claims, siteUrl);
    }

    /** Any claims, signed with this key and joined to its certificate: tests make wrong receipts with it. */
    String sign(SigningKey key, Map<String, Object> claims, String siteUrl) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("jku", siteUrl + ROOT_KEY_PATH);
        header.put("kid", key.kid());
        return cert(key, siteUrl) + "~" + jws(header, claims, key.signer);
    }

    private String cert(SigningKey key, String siteUrl) {
        String cert = key.certs.get(siteUrl);
        if (cert != null) {
            return cert;
        }
        if (key.certs.size() >= MAX_CERTS) {
            key.certs.clear();
        }
        RSAKey root = roots.current();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", root.getKeyID());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("typ", "certified-key");
        claims.put("iss", siteUrl + ROOT_KEY_PATH);
        claims.put("iat", key.created);
        claims.put("nbf", key.created - GRACE_SECONDS);
        claims.put("exp", key.retireAt + Math.max(receiptExpiry, testExpiry) + GRACE_SECONDS);
        claims.put("jwk", List.of(Jwks.entry(key.key.toPublicJWK())));
        try {
            cert = jws(header, claims, new RSASSASigner(root));
        } catch (JOSEException e) {
            throw new IllegalStateException("the root key cannot sign", e);
        }
        key.certs.put(siteUrl, cert);
        return cert;
    }

    /** A compact JWS of exactly these header and payload bytes (Nimbus would write its own header JSON). */
    private static String jws(Map<String, Object> header, Map<String, Object> claims, RSASSASigner signer) {
        try {
            JWSObject jws = new JWSObject(JWSHeader.parse(Base64URL.encode(AsciiJson.bytes(header))),
                    new Payload(Base64URL.encode(AsciiJson.bytes(claims))));
            jws.sign(signer);
            return jws.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot sign a receipt", e);
        }
    }

    /** Past half its life, expired, or unreadable: replace it before handing it out again. */
    boolean stale(String receipt) {
        JsonNode claims = unverifiedClaims(receipt);
        if (claims == null || !claims.path("iat").canConvertToLong() || !claims.path("exp").canConvertToLong()) {
            return true;
        }
        long iat = claims.path("iat").longValue();
        long exp = claims.path("exp").longValue();
        return seconds() >= iat + (exp - iat) / 2;
    }

    /** The receipt's claims as written, without checking anything: for receipts this store keeps. */
    static JsonNode unverifiedClaims(String receipt) {
        int tilde = receipt == null ? -1 : receipt.indexOf('~');
        String[] parts = tilde < 0 ? new String[0] : receipt.substring(tilde + 1).split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = AsciiJson.read(Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.isObject() ? claims : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    long seconds() {
        return clock.millis() / 1000;
    }
}
