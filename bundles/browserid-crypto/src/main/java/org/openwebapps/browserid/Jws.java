package org.openwebapps.browserid;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A compact JWS as BrowserID writes it: {@code b64url(header).b64url(payload).b64url(signature)},
 * unpadded, the header only {@code {"alg":...}}, header and payload JSON objects.
 *
 * @param algorithm   the header's {@code alg}
 * @param payload     the claims
 * @param signedBytes the ASCII bytes of {@code header.payload}
 * @param signature   the signature bytes
 */
public record Jws(Algorithm algorithm, Map<String, Object> payload, byte[] signedBytes, byte[] signature) {

    /** Bigger than any honest certificate or assertion: refuse before decoding. */
    public static final int MAX_LENGTH = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /**
     * @throws BrowserIdException not three base64url parts of JSON objects, or an unknown {@code alg}
     */
    public static Jws parse(String compact) throws BrowserIdException {
        if (compact == null || compact.length() > MAX_LENGTH) {
            throw new BrowserIdException("malformed signed object");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new BrowserIdException("malformed signed object");
        }
        try {
            Map<String, Object> header = json(decode(parts[0]));
            Map<String, Object> payload = json(decode(parts[1]));
            Object alg = header.get("alg");
            Algorithm algorithm = Algorithm.forHeader(alg instanceof String s ? s : null)
                    .orElseThrow(() -> new BrowserIdException("unsupported algorithm " + alg));
            return new Jws(algorithm, payload, (parts[0] + "." + parts[1]).getBytes(US_ASCII), decode(parts[2]));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new BrowserIdException("malformed signed object");
        }
    }

    /** @return the compact JWS of {@code payload}, signed by {@code key} */
    public static String sign(Map<String, Object> payload, SigningKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().name());
        try {
            String signed = encode(JSON.writeValueAsBytes(header)) + "." + encode(JSON.writeValueAsBytes(payload));
            return signed + "." + encode(key.sign(signed.getBytes(US_ASCII)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not JSON-serialisable", e);
        }
    }

    /**
     * Checks the signature with {@code key}: the header's algorithm must be the key's (family and
     * size), then the bytes must verify.
     *
     * @throws BrowserIdException "algorithms do not match" or "invalid signature"
     */
    public void verify(PublicKeys.SizedKey key) throws BrowserIdException {
        if (key.algorithm() != algorithm) {
            throw new BrowserIdException("algorithms do not match: signed " + algorithm + ", key is " + key.algorithm());
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaName());
            verifier.initVerify(key.key());
            verifier.update(signedBytes);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false; // a wrong-length or out-of-range DSA signature, say
        }
        if (!valid) {
            throw new BrowserIdException("invalid signature");
        }
    }

    private static Map<String, Object> json(byte[] bytes) throws JsonProcessingException, BrowserIdException {
        String text = new String(bytes, UTF_8);
        if (!text.trim().startsWith("{")) {
            throw new BrowserIdException("malformed signed object");
        }
        return JSON.readValue(text, OBJECT);
    }

    private static byte[] decode(String part) {
        if (part.isEmpty() || part.indexOf('=') >= 0) {
            throw new IllegalArgumentException("empty or padded part");
        }
        return Base64.getUrlDecoder().decode(part);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
