package org.openwebapps.marketplace.receipts.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.marketplace.receipts.ReceiptIssuer;

/**
 * The receipt verifier's checks, in zamboni's order (contract: spec/marketplace.md section 7):
 * the chain, the directed identifier and type, the {@code verify} URL's domain and path, the
 * store data, the purchase, the expiry. Every verdict is a JSON body; only an unreadable purchase
 * store is an error (503), since "invalid" would lock buyers out of what they paid for.
 */
final class Verifier {

    /** How much sooner than its {@code exp} a receipt counts as expired. */
    static final long EXPIRY_MARGIN_SECONDS = 10;

    /** Where purchases are looked up: the payments module's {@link PurchaseCheck}. */
    @FunctionalInterface
    interface Purchases {
        Optional<PurchaseCheck.PurchaseStatus> status(String uuid) throws PurchaseCheck.UnavailableException;
    }

    private final ReceiptSigner signer;
    private final ReceiptChain chain;
    private final boolean expiredSendReceipt;

    Verifier(ReceiptSigner signer, boolean expiredSendReceipt) {
        this.signer = signer;
        this.chain = new ReceiptChain(signer.roots());
        this.expiredSendReceipt = expiredSendReceipt;
    }

    /** {@code POST /marketplace/verify/{appId}}. */
    Map<String, Object> verify(String receipt, String appId, String siteUrl, Purchases purchases)
            throws PurchaseCheck.UnavailableException {
        try {
            JsonNode claims = paidFor(receipt, appId, siteUrl, purchases);
            if (signer.seconds() + EXPIRY_MARGIN_SECONDS > claims.path("exp").longValue()) {
                Map<String, Object> answer = status("expired");
                if (expiredSendReceipt) {
                    answer.put("receipt", signer.issue(product(claims), claims.path("user").path("value").textValue(), siteUrl));
                }
                return answer;
            }
            return status("ok");
        } catch (ReceiptChain.Invalid e) {
            return invalid(e.reason());
        } catch (Verdict verdict) {
            return status(verdict.getMessage());
        }
    }

    /**
     * {@code POST API/receipts/reissue}: the verifier's checks without the expiry.
     *
     * @return {@code {"status":"ok","receipt":<new>}}, or the verifier's answer without a receipt
     */
    Map<String, Object> reissue(String receipt, String siteUrl, Purchases purchases) throws PurchaseCheck.UnavailableException {
        JsonNode unchecked = ReceiptSigner.unverifiedClaims(receipt);
        String appId = unchecked == null ? "" : storedataId(unchecked);
        try {
            JsonNode claims = paidFor(receipt, appId, siteUrl, purchases);
            Map<String, Object> answer = status("ok");
            answer.put("receipt", signer.issue(product(claims), claims.path("user").path("value").textValue(), siteUrl));
            return answer;
        } catch (ReceiptChain.Invalid e) {
            return invalid(e.reason());
        } catch (Verdict verdict) {
            return status(verdict.getMessage());
        }
    }

    /** {@code POST /marketplace/verify/test/{type}}: the chain, the type and the URL, then the type itself. */
    Map<String, Object> verifyTest(String receipt, String type, String siteUrl) {
        try {
            JsonNode claims = chain.decode(receipt);
            if (!"test-receipt".equals(claims.path("typ").asText())) {
                throw new ReceiptChain.Invalid("WRONG_TYPE", "not a test receipt");
            }
            checkVerifyUrl(claims, siteUrl, ReceiptSigner.TEST_VERIFY_PATH + type);
            if (!ReceiptSigner.TEST_TYPES.contains(type)) {
                throw new ReceiptChain.Invalid("WRONG_PATH", "no such test receipt type");
            }
            return switch (type) {
                case "invalid" -> invalid("TEST_INVALID");
                case "expired" -> {
                    Map<String, Object> answer = status("expired");
                    if (expiredSendReceipt) {
                        answer.put("receipt", signer.issueTest(claims.path("product").path("url").asText(), type, siteUrl));
                    }
                    yield answer;
                }
                default -> status(type);
            };
        } catch (ReceiptChain.Invalid e) {
            return invalid(e.reason());
        }
    }

    /** A verdict that is not "invalid": pending or refunded. */
    private static final class Verdict extends Exception {

        private static final long serialVersionUID = 1L;

        Verdict(String status) {
            super(status, null, false, false);
        }
    }

    /** Steps 1 to 5: @return the claims of a receipt whose purchase holds the app */
    private JsonNode paidFor(String receipt, String appId, String siteUrl, Purchases purchases)
            throws ReceiptChain.Invalid, Verdict, PurchaseCheck.UnavailableException {
        JsonNode claims = chain.decode(receipt);
        JsonNode user = claims.path("user");
        if (!"directed-identifier".equals(user.path("type").asText()) || !user.path("value").isTextual()) {
            throw new ReceiptChain.Invalid("NO_DIRECTED_IDENTIFIER", "the user is not a directed identifier");
        }
        if (!"purchase-receipt".equals(claims.path("typ").asText())) {
            throw new ReceiptChain.Invalid("WRONG_TYPE", "not a purchase receipt");
        }
        checkVerifyUrl(claims, siteUrl, ReceiptSigner.VERIFY_PATH + appId);
        if (!appId.matches("[0-9]{1,18}") || !appId.equals(storedataId(claims))) {
            throw new ReceiptChain.Invalid("WRONG_STOREDATA", "the store data names another app");
        }
        Optional<PurchaseCheck.PurchaseStatus> purchase = purchases.status(user.path("value").textValue());
        if (purchase.isEmpty() || purchase.get().app() != Long.parseLong(appId)) {
            throw new ReceiptChain.Invalid("NO_PURCHASE", "no such purchase of this app");
        }
        switch (purchase.get().state()) {
            case "COMPLETED", "REFUND_PENDING" -> {
                return claims;
            }
            case "PENDING" -> throw new Verdict("pending");
            case "REFUNDED", "CHARGEBACK" -> throw new Verdict("refunded");
            default -> throw new ReceiptChain.Invalid("WRONG_PURCHASE", "the purchase is " + purchase.get().state());
        }
    }

    /** {@code verify} on this store's host and port, at this request's path below the site URL's. */
    private static void checkVerifyUrl(JsonNode claims, String siteUrl, String path) throws ReceiptChain.Invalid {
        URI verify;
        URI site;
        try {
            verify = new URI(claims.path("verify").asText());
            site = new URI(siteUrl);
        } catch (URISyntaxException e) {
            throw new ReceiptChain.Invalid("WRONG_DOMAIN", "the verify URL is not a URL");
        }
        if (verify.getHost() == null || !verify.getHost().equalsIgnoreCase(site.getHost()) || port(verify) != port(site)) {
            throw new ReceiptChain.Invalid("WRONG_DOMAIN", "the verify URL is not this store's");
        }
        String base = site.getRawPath() == null ? "" : site.getRawPath().replaceAll("/+$", "");
        if (!(base + path).equals(verify.getRawPath())) {
            throw new ReceiptChain.Invalid("WRONG_PATH", "the receipt is verified elsewhere");
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** @return the {@code id} of {@code product.storedata} ({@code id=17}, form-encoded), or empty */
    private static String storedataId(JsonNode claims) {
        for (String pair : claims.path("product").path("storedata").asText().split("&")) {
            if (pair.startsWith("id=")) {
                return pair.substring(3);
            }
        }
        return "";
    }

    private static ReceiptIssuer.Product product(JsonNode claims) {
        return new ReceiptIssuer.Product(Long.parseLong(storedataId(claims)), claims.path("product").path("url").asText());
    }

    private static Map<String, Object> status(String status) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", status);
        return answer;
    }

    private static Map<String, Object> invalid(String reason) {
        Map<String, Object> answer = status("invalid");
        answer.put("reason", reason);
        return answer;
    }
}
