package org.openwebapps.payments.fake.internal;

import java.math.BigDecimal;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.openwebapps.marketplace.payments.PaymentException;
import org.openwebapps.marketplace.payments.VerifiedEvent;

/**
 * The fake provider's notifications: HS256 JWTs {@code {"iss":"payments-fake", "aud": <notify URL>,
 * "iat", "exp", "typ":"payments-fake/notification/v1", "event":{"kind", "transaction_id",
 * "order_id", "amount", "currency"}}}, made and proven with one secret.
 */
final class Notifications {

    static final String ISSUER = "payments-fake";
    static final String TYPE = "payments-fake/notification/v1";
    /** The notify path a notification must be addressed to (its {@code aud} ends with it). */
    static final String NOTIFY_PATH = "/payments/notify/fake";
    private static final long LIFETIME_MILLIS = 10 * 60_000L;
    /** Clock difference allowed between signing and proving. */
    private static final long SKEW_MILLIS = 60_000L;

    private final byte[] secret;

    /** @param secret at least 256 bits (HS256) */
    Notifications(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the notification secret must be at least 32 bytes");
        }
        this.secret = secret.clone();
    }

    String sign(VerifiedEvent event, String audience, long nowMillis) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", event.kind().name());
        body.put("transaction_id", event.transactionId());
        body.put("order_id", event.orderId());
        body.put("amount", event.amount() == null ? null : event.amount().toPlainString());
        body.put("currency", event.currency());
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience)
                .issueTime(new Date(nowMillis)).expirationTime(new Date(nowMillis + LIFETIME_MILLIS))
                .claim("typ", TYPE).claim("event", body).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }

    /** @throws PaymentException {@code REJECTED}: not a JWT, not HS256, a bad signature or claim, expired */
    VerifiedEvent prove(byte[] body, long nowMillis) throws PaymentException {
        try {
            SignedJWT jwt = SignedJWT.parse(new String(body, java.nio.charset.StandardCharsets.US_ASCII).trim());
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw rejected("not HS256");
            }
            if (!jwt.verify(new MACVerifier(secret))) {
                throw rejected("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            List<String> audience = claims.getAudience();
            if (!ISSUER.equals(claims.getIssuer()) || !TYPE.equals(claims.getStringClaim("typ")) || audience.size() != 1
                    || !audience.get(0).endsWith(NOTIFY_PATH)) {
                throw rejected("wrong iss, typ or aud");
            }
            Date expires = claims.getExpirationTime();
            Date issued = claims.getIssueTime();
            if (expires == null || issued == null || expires.getTime() < nowMillis - SKEW_MILLIS
                    || issued.getTime() > nowMillis + SKEW_MILLIS) {
                throw rejected("expired or not yet valid");
            }
            Map<String, Object> event = claims.getJSONObjectClaim("event");
            if (event == null || !(event.get("kind") instanceof String kind) || !(event.get("transaction_id") instanceof String transaction)
                    || !(event.get("order_id") instanceof String order) || transaction.isEmpty()) {
                throw rejected("no event");
            }
            return new VerifiedEvent(VerifiedEvent.Kind.valueOf(kind), transaction, order,
                    event.get("amount") instanceof String amount ? new BigDecimal(amount) : null,
                    event.get("currency") instanceof String currency ? currency : null);
        } catch (ParseException | JOSEException | IllegalArgumentException e) { // NumberFormatException too
            throw rejected("malformed: " + e.getClass().getSimpleName());
        }
    }

    private static PaymentException rejected(String why) {
        return new PaymentException(PaymentException.Kind.REJECTED, why, null);
    }
}
