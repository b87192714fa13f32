package org.openwebapps.marketplace.receipts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openwebapps.marketplace.receipts.ReceiptIssuer;

/** Receipts as the contract writes them (spec/marketplace.md section 6), their chain and rotation. */
class ReceiptSignerTest {

    static final String SITE = "https://store.example";
    private static final long EXPIRY = 15_724_800;
    private static final String UUID = "6f1c1d8e-8c1a-4a47-9d3e-2b7b8a3c9d10";

    @TempDir
    Path data;
    private final TestClock clock = new TestClock();
    private ReceiptSigner signer;

    @BeforeEach
    void setUp() {
        signer = new ReceiptSigner(RootKeys.load(null, data.resolve("root-key.pem"), List.of()), clock, EXPIRY, 3600, 86_400);
    }

    static byte[] decode(String part) {
        return Base64.getUrlDecoder().decode(part);
    }

    static JsonNode json(String part) {
        byte[] bytes = decode(part);
        for (byte b : bytes) {
            assertTrue(b >= 0x20 && b < 0x7f, "printable ASCII only, found byte " + b);
        }
        return AsciiJson.read(bytes);
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aReceiptIsACertAndAReceiptWithTheContractsFields() {
        String issued = signer.issue(new ReceiptIssuer.Product(17, "https://game.example"), UUID, SITE);
        String[] parts = issued.split("~", -1);
        assertEquals(2, parts.length);
        String[] cert = parts[0].split("\\.");
        String[] receipt = parts[1].split("\\.");
        assertEquals(3, cert.length);
        assertEquals(3, receipt.length);

        JsonNode certHeader = json(cert[0]);
        assertEquals(Set.of("alg", "typ", "kid"), names(certHeader));
        assertEquals("RS256", certHeader.path("alg").asText());
        assertEquals(signer.roots().current().getKeyID(), certHeader.path("kid").asText());
        JsonNode certClaims = json(cert[1]);
        assertEquals(Set.of("typ", "iss", "iat", "nbf", "exp", "jwk"), names(certClaims));
        assertEquals("certified-key", certClaims.path("typ").asText());
        assertEquals(SITE + "/marketplace/public_keys/root.jwk", certClaims.path("iss").asText());
        JsonNode jwk = certClaims.path("jwk").get(0);
        assertEquals(Set.of("alg", "mod", "exp", "kty", "n", "e", "kid", "use"), names(jwk));
        assertEquals(jwk.path("n").asText(), jwk.path("mod").asText());
        assertEquals(jwk.path("e").asText(), jwk.path("exp").asText());
        assertFalse(jwk.path("n").asText().contains("="), "unpadded base64url");
        assertEquals("RSA", jwk.path("kty").asText());
        assertEquals("sig", jwk.path("use").asText());

        JsonNode header = json(receipt[0]);
        assertEquals(Set.of("alg", "typ", "jku", "kid"), names(header));
        assertEquals("JWT", header.path("typ").asText());
        assertEquals(SITE + "/marketplace/public_keys/root.jwk", header.path("jku").asText());
        assertEquals(jwk.path("kid").asText(), header.path("kid").asText());
        JsonNode claims = json(receipt[1]);
        assertEquals(Set.of("typ", "product", "user", "iss", "nbf", "iat", "exp", "detail", "verify", "reissue"), names(claims));
        assertEquals("purchase-receipt", claims.path("typ").asText());
        assertEquals("https://game.example", claims.path("product").path("url").asText());
        assertEquals("id=17", claims.path("product").path("storedata").asText());
        assertEquals("directed-identifier", claims.path("user").path("type").asText());
        assertEquals(UUID, claims.path("user").path("value").asText());
        assertEquals(SITE, claims.path("iss").asText());
        for (String time : List.of("nbf", "iat", "exp")) {
            assertTrue(claims.path(time).isIntegralNumber(), time + " in integer seconds");
        }
        assertEquals(clock.millis() / 1000, claims.path("iat").longValue());
        assertEquals(claims.path("iat").longValue() + EXPIRY, claims.path("exp").longValue());
        assertEquals(SITE + "/marketplace/api/v1/apps/17", claims.path("detail").asText());
        assertEquals(SITE + "/marketplace/verify/17", claims.path("verify").asText());
        assertEquals(SITE + "/marketplace/api/v1/receipts/reissue", claims.path("reissue").asText());
        assertTrue(certClaims.path("nbf").longValue() <= claims.path("iat").longValue());
        assertTrue(certClaims.path("exp").longValue() >= claims.path("exp").longValue());
    }

    @Test
    void textOutsideAsciiIsEscaped() {
        String issued = signer.issue(new ReceiptIssuer.Product(3, "https://café.example"), UUID, SITE);
        String payload = issued.split("~")[1].split("\\.")[1];
        String text = new String(decode(payload), StandardCharsets.US_ASCII);
        assertTrue(text.contains("caf\\u00E9") || text.contains("caf\\u00e9"), text);
        assertEquals("https://café.example", json(payload).path("product").path("url").asText());
    }

    /** Checked with the JDK's RSA alone, not with the library that signed. */
    @Test
    void theChainVerifiesWithPlainRsa() throws Exception {
        String issued = signer.issue(new ReceiptIssuer.Product(17, "https://game.example"), UUID, SITE);
        String[] cert = issued.split("~")[0].split("\\.");
        String[] receipt = issued.split("~")[1].split("\\.");
        RSAPublicKey root = signer.roots().current().toRSAPublicKey();
        assertTrue(rs256(root, cert));
        JsonNode jwk = json(cert[1]).path("jwk").get(0);
        RSAPublicKey signing = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, decode(jwk.path("n").asText())), new BigInteger(1, decode(jwk.path("e").asText()))));
        assertTrue(rs256(signing, receipt));
        assertFalse(rs256(root, receipt), "the receipt is signed by the signing key, not the root");
    }

    static boolean rs256(RSAPublicKey key, String[] jws) throws Exception {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
        return rsa.verify(decode(jws[2]));
    }

    @Test
    void rotationKeepsOldReceiptsValid() throws Exception {
        ReceiptChain chain = new ReceiptChain(signer.roots());
        List<String> receipts = new ArrayList<>();
        List<String> kids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            receipts.add(signer.issue(new ReceiptIssuer.Product(17, "https://game.example"), UUID, SITE));
            kids.add(json(receipts.get(i).split("~")[1].split("\\.")[0]).path("kid").asText());
            signer.rotate();
            clock.advanceSeconds(100);
        }
        assertEquals(3, Set.copyOf(kids).size(), "each rotation makes a new signing key");
        for (String receipt : receipts) {
            assertEquals(UUID, chain.decode(receipt).path("user").path("value").asText());
        }
    }

    @Test
    void aKeyPastItsTimeIsReplacedBeforeItSigns() throws Exception {
        String before = signer.signingKey().kid();
        clock.advanceSeconds(86_400);
        String receipt = signer.issue(new ReceiptIssuer.Product(17, "https://game.example"), UUID, SITE);
        assertNotEquals(before, signer.signingKey().kid());
        assertEquals(signer.signingKey().kid(), json(receipt.split("~")[1].split("\\.")[0]).path("kid").asText());
        new ReceiptChain(signer.roots()).decode(receipt);
    }

    @Test
    void aReceiptIsStalePastHalfItsLife() {
        String receipt = signer.issue(new ReceiptIssuer.Product(17, "https://game.example"), UUID, SITE);
        assertFalse(signer.stale(receipt));
        clock.advanceSeconds(EXPIRY / 2 - 1);
        assertFalse(signer.stale(receipt));
        clock.advanceSeconds(1);
        assertTrue(signer.stale(receipt));
        assertTrue(signer.stale("not a receipt"));
        assertTrue(signer.stale(null));
    }

    @Test
    void testReceiptsNameTheirTypeInTheVerifyUrl() {
        String receipt = signer.issueTest("https://game.example", "refunded", SITE);
        JsonNode claims = json(receipt.split("~")[1].split("\\.")[1]);
        assertEquals("test-receipt", claims.path("typ").asText());
        assertEquals("id=0", claims.path("product").path("storedata").asText());
        assertEquals(SITE + "/marketplace/verify/test/refunded", claims.path("verify").asText());
        assertEquals(claims.path("iat").longValue() + 3600, claims.path("exp").longValue());
        assertNotEquals(claims.path("user").path("value").asText(),
                json(signer.issueTest("https://game.example", "refunded", SITE).split("~")[1].split("\\.")[1])
                        .path("user").path("value").asText(), "a random directed identifier each time");
    }

    @Test
    void expiriesMustBePositive() {
        RootKeys roots = signer.roots();
        assertThrows(IllegalArgumentException.class, () -> new ReceiptSigner(roots, clock, 0, 3600, 86_400));
        assertThrows(IllegalArgumentException.class, () -> new ReceiptSigner(roots, clock, EXPIRY, 3600, 0));
    }
}
