package org.openwebapps.marketplace.receipts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.marketplace.receipts.ReceiptIssuer;

/** Every verdict and reason code of the verifier (spec/marketplace.md section 7), in its order. */
class VerifierTest {

    private static final String SITE = ReceiptSignerTest.SITE;
    private static final String UUID = "6f1c1d8e-8c1a-4a47-9d3e-2b7b8a3c9d10";
    private static final ReceiptIssuer.Product GAME = new ReceiptIssuer.Product(17, "https://game.example");

    @TempDir
    Path data;
    private final TestClock clock = new TestClock();
    private final Map<String, PurchaseCheck.PurchaseStatus> purchases = new HashMap<>();
    private ReceiptSigner signer;
    private Verifier verifier;

    @BeforeEach
    void setUp() {
        signer = new ReceiptSigner(RootKeys.load(null, data.resolve("root-key.pem"), List.of()), clock, 15_724_800, 3600, 86_400);
        verifier = new Verifier(signer, true);
        purchases.put(UUID, new PurchaseCheck.PurchaseStatus(UUID, 17, "COMPLETED"));
    }

    private Map<String, Object> verify(String receipt, String app) throws Exception {
        return verifier.verify(receipt, app, SITE, uuid -> Optional.ofNullable(purchases.get(uuid)));
    }

    private String reason(String receipt) throws Exception {
        Map<String, Object> answer = verify(receipt, "17");
        assertEquals("invalid", answer.get("status"), answer.toString());
        return (String) answer.get("reason");
    }

    /** A receipt for app 17 with one claim changed, signed properly. */
    private String altered(Consumer<Map<String, Object>> change) throws Exception {
        String good = signer.issue(GAME, UUID, SITE);
        Map<String, Object> claims = AsciiJson.MAPPER.readValue(Base64.getUrlDecoder().decode(good.split("~")[1].split("\\.")[1]),
                new TypeReference<Map<String, Object>>() { });
        change.accept(claims);
        return signer.sign(signer.signingKey(), claims, SITE);
    }

    @Test
    void aCompletedPurchaseIsOk() throws Exception {
        assertEquals(Map.of("status", "ok"), verify(signer.issue(GAME, UUID, SITE), "17"));
        purchases.put(UUID, new PurchaseCheck.PurchaseStatus(UUID, 17, "REFUND_PENDING"));
        assertEquals(Map.of("status", "ok"), verify(signer.issue(GAME, UUID, SITE), "17"), "still held while a refund is asked");
        assertEquals(Map.of("status", "ok"), verify(signer.issue(GAME, UUID, SITE) + "\n", "17"), "a trailing newline is no matter");
    }

    @Test
    void brokenChainsAreDecodingErrors() throws Exception {
        String good = signer.issue(GAME, UUID, SITE);
        String cert = good.split("~")[0];
        String receipt = good.split("~")[1];
        assertEquals("ERROR_DECODING", reason(receipt), "a bare JWT");
        assertEquals("ERROR_DECODING", reason(good + "~" + receipt), "three parts");
        assertEquals("ERROR_DECODING", reason(""));
        assertEquals("ERROR_DECODING", reason("~"));
        assertEquals("ERROR_DECODING", reason("x".repeat(ReceiptChain.MAX_CHARS + 1)));
        String[] jws = receipt.split("\\.");
        String tampered = cert + "~" + jws[0] + "." + jws[1] + "." + (jws[2].charAt(0) == 'A' ? "B" : "A") + jws[2].substring(1);
        assertEquals("ERROR_DECODING", reason(tampered), "a bad receipt signature");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(jws[1]), StandardCharsets.US_ASCII).replace("id=17", "id=18")
                        .getBytes(StandardCharsets.US_ASCII));
        assertEquals("ERROR_DECODING", reason(cert + "~" + jws[0] + "." + otherPayload + "." + jws[2]), "a changed payload");

        ReceiptSigner stranger = new ReceiptSigner(RootKeys.load(null, data.resolve("other-root.pem"), List.of()), clock,
                15_724_800, 3600, 86_400);
        assertEquals("ERROR_DECODING", reason(stranger.issue(GAME, UUID, SITE)), "certified by another root");
        assertEquals("ERROR_DECODING", reason(stranger.issue(GAME, UUID, SITE).split("~")[0] + "~" + receipt),
                "a foreign certificate before our receipt");

        String hs256 = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(
                StandardCharsets.US_ASCII)) + "." + jws[1] + ".c2lnbmF0dXJl";
        assertEquals("ERROR_DECODING", reason(cert + "~" + hs256), "not RS256");
        assertEquals("ERROR_DECODING", reason(altered(claims -> claims.put("exp", ((Number) claims.get("exp")).longValue() + 10_000_000))),
                "a receipt outliving its certificate");
        assertEquals("ERROR_DECODING", reason(altered(claims -> claims.put("iat", 1_000))), "a receipt older than its certificate");
        assertEquals("ERROR_DECODING", reason(altered(claims -> claims.put("exp", "1715724800"))), "times must be numbers");
    }

    @Test
    void theChecksComeInZambonisOrder() throws Exception {
        assertEquals("NO_DIRECTED_IDENTIFIER", reason(altered(claims -> claims.put("user", Map.of("type", "email", "value", UUID)))));
        assertEquals("NO_DIRECTED_IDENTIFIER", reason(altered(claims -> {
            claims.remove("user");
            claims.put("typ", "developer-receipt");
        })), "the identifier is checked before the type");
        assertEquals("WRONG_TYPE", reason(altered(claims -> claims.put("typ", "developer-receipt"))));
        assertEquals("WRONG_TYPE", reason(signer.issueTest("https://game.example", "ok", SITE)));
        assertEquals("WRONG_DOMAIN", reason(altered(claims -> claims.put("verify", "https://evil.example/marketplace/verify/17"))));
        assertEquals("WRONG_DOMAIN", reason(altered(claims -> claims.put("verify", "https://store.example:8443/marketplace/verify/17"))));
        assertEquals("WRONG_DOMAIN", reason(altered(claims -> claims.put("verify", "not a url at all"))));
        assertEquals("WRONG_PATH", reason(altered(claims -> claims.put("verify", SITE + "/marketplace/verify/18"))));
        assertEquals("WRONG_PATH", reason(signer.issue(new ReceiptIssuer.Product(18, "https://game.example"), UUID, SITE)),
                "a receipt of app 18 posted to app 17's verifier");
        assertEquals("WRONG_STOREDATA", reason(altered(claims -> claims.put("product", Map.of("url", "https://game.example",
                "storedata", "id=18")))));
        assertEquals("WRONG_STOREDATA", reason(altered(claims -> claims.put("product", Map.of("url", "https://game.example")))));
        assertEquals(Map.of("status", "invalid", "reason", "WRONG_PATH"),
                verify(signer.issue(GAME, UUID, SITE), "abc"), "a path that is no app id");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "PENDING, pending, -",
            "FAILED, invalid, WRONG_PURCHASE",
            "CANCELLED, invalid, WRONG_PURCHASE",
            "REFUNDED, refunded, -",
            "CHARGEBACK, refunded, -"})
    void thePurchaseDecides(String state, String status, String reason) throws Exception {
        purchases.put(UUID, new PurchaseCheck.PurchaseStatus(UUID, 17, state));
        Map<String, Object> answer = verify(signer.issue(GAME, UUID, SITE), "17");
        assertEquals(status, answer.get("status"));
        assertEquals(reason.equals("-") ? null : reason, answer.get("reason"));
    }

    @Test
    void noSuchPurchaseOfThisApp() throws Exception {
        purchases.clear();
        assertEquals("NO_PURCHASE", reason(signer.issue(GAME, UUID, SITE)));
        purchases.put(UUID, new PurchaseCheck.PurchaseStatus(UUID, 18, "COMPLETED"));
        assertEquals("NO_PURCHASE", reason(signer.issue(GAME, UUID, SITE)), "a purchase of another app");
    }

    @Test
    void anExpiredReceiptIsAnsweredWithAFreshOne() throws Exception {
        String receipt = signer.issue(GAME, UUID, SITE);
        clock.advanceSeconds(15_724_800 - Verifier.EXPIRY_MARGIN_SECONDS - 1);
        assertEquals(Map.of("status", "ok"), verify(receipt, "17"));
        clock.advanceSeconds(2);
        Map<String, Object> answer = verify(receipt, "17");
        assertEquals("expired", answer.get("status"));
        String fresh = (String) answer.get("receipt");
        assertNotEquals(receipt, fresh);
        assertEquals(Map.of("status", "ok"), verify(fresh, "17"));

        Verifier silent = new Verifier(signer, false);
        assertEquals(Map.of("status", "expired"), silent.verify(receipt, "17", SITE, uuid -> Optional.ofNullable(purchases.get(uuid))));
    }

    @Test
    void reissueIgnoresExpiryButNotTheRest() throws Exception {
        String receipt = signer.issue(GAME, UUID, SITE);
        clock.advanceSeconds(20_000_000);
        Map<String, Object> answer = verifier.reissue(receipt, SITE, uuid -> Optional.ofNullable(purchases.get(uuid)));
        assertEquals("ok", answer.get("status"));
        String fresh = (String) answer.get("receipt");
        assertEquals(clock.millis() / 1000, ReceiptSigner.unverifiedClaims(fresh).path("iat").longValue());
        assertEquals(Map.of("status", "ok"), verify(fresh, "17"));
        purchases.put(UUID, new PurchaseCheck.PurchaseStatus(UUID, 17, "REFUNDED"));
        assertEquals(Map.of("status", "refunded"), verifier.reissue(fresh, SITE, uuid -> Optional.ofNullable(purchases.get(uuid))));
        assertEquals(Map.of("status", "invalid", "reason", "ERROR_DECODING"),
                verifier.reissue("garbage", SITE, uuid -> Optional.ofNullable(purchases.get(uuid))));
    }

    @ParameterizedTest
    @CsvSource({"ok", "pending", "refunded"})
    void testReceiptsAnswerTheirType(String type) {
        assertEquals(Map.of("status", type), verifier.verifyTest(signer.issueTest("https://game.example", type, SITE), type, SITE));
    }

    @Test
    void expiredAndInvalidTestReceipts() {
        Map<String, Object> expired = verifier.verifyTest(signer.issueTest("https://game.example", "expired", SITE), "expired", SITE);
        assertEquals("expired", expired.get("status"));
        assertEquals("test-receipt", ReceiptSigner.unverifiedClaims((String) expired.get("receipt")).path("typ").asText());
        assertEquals(Map.of("status", "invalid", "reason", "TEST_INVALID"),
                verifier.verifyTest(signer.issueTest("https://game.example", "invalid", SITE), "invalid", SITE));
        assertEquals(Map.of("status", "invalid", "reason", "WRONG_PATH"),
                verifier.verifyTest(signer.issueTest("https://game.example", "ok", SITE), "pending", SITE));
        assertEquals(Map.of("status", "invalid", "reason", "WRONG_TYPE"),
                verifier.verifyTest(signer.issue(GAME, UUID, SITE), "ok", SITE));
        assertEquals(Map.of("status", "invalid", "reason", "WRONG_DOMAIN"),
                verifier.verifyTest(signer.issueTest("https://game.example", "ok", "https://other.example"), "ok", SITE));
    }

    @Test
    void aSitePathPrefixIsPartOfTheVerifyPath() throws Exception {
        String prefixed = "https://store.example/shop";
        String receipt = signer.issue(GAME, UUID, prefixed);
        assertEquals(Map.of("status", "ok"), verifier.verify(receipt, "17", prefixed, uuid -> Optional.ofNullable(purchases.get(uuid))));
        assertEquals("WRONG_PATH", reason(receipt));
    }

    @Test
    void anUnreadablePurchaseStoreIsAnErrorNotAVerdict() {
        PurchaseCheck.UnavailableException down = new PurchaseCheck.UnavailableException("down", null);
        assertThrows(PurchaseCheck.UnavailableException.class, () -> verifier.verify(signer.issue(GAME, UUID, SITE), "17", SITE,
                uuid -> {
                    throw down;
                }));
    }
}
