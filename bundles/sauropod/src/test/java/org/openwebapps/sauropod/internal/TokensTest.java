package org.openwebapps.sauropod.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.Session;

class TokensTest {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private final Instant now = Instant.parse("2026-11-26T10:00:00Z");

    private Tokens tokens(String keys, Instant at) {
        return new Tokens(TokenKeys.parse(keys), Clock.fixed(at, ZoneOffset.UTC), Duration.ofHours(1));
    }

    private String reason(Tokens tokens, String token) {
        return assertThrows(SauropodException.class, () -> tokens.verify(token)).getMessage();
    }

    @Test
    void aTokenCarriesUserBucketAndExpiry() throws Exception {
        Session issued = tokens(K1, now).issue("alice@example.com", "https://app.example");
        Session checked = tokens(K1, now.plusSeconds(60)).verify(issued.token());

        assertEquals("alice@example.com", checked.user());
        assertEquals("https://app.example", checked.bucket());
        assertEquals(now.plus(Duration.ofHours(1)), checked.expires());
        assertTrue(issued.token().startsWith("v1.k1."));
    }

    @Test
    void expiredForgedTruncatedAndGarbageTokensAreRefused() {
        String token = tokens(K1, now).issue("alice@example.com", "https://app.example").token();

        assertEquals("token expired", reason(tokens(K1, now.plus(Duration.ofHours(1))), token));
        assertEquals("missing token", reason(tokens(K1, now), null));
        assertEquals("malformed token", reason(tokens(K1, now), token.substring(0, token.lastIndexOf('.'))));
        assertEquals("invalid token signature", reason(tokens(K1, now), token.substring(0, token.length() - 2) + "AA"));
        assertEquals("malformed token", reason(tokens(K1, now), "garbage"));
        assertEquals("malformed token", reason(tokens(K1, now), "x".repeat(Tokens.MAX_LENGTH + 1)));

        // another user's claims under the same signature
        String[] parts = token.split("\\.");
        String bob = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"u\":\"bob@example.com\",\"b\":\"https://app.example\",\"e\":9999999999999}".getBytes(StandardCharsets.UTF_8));
        assertEquals("invalid token signature", reason(tokens(K1, now), parts[0] + "." + parts[1] + "." + bob + "." + parts[3]));
    }

    @Test
    void aTokenHasExactlyOneSpelling() throws Exception {
        String token = tokens(K1, now).issue("alice@example.com", "https://app.example").token();
        // HMAC-SHA256 is 32 bytes: 43 base64url characters, the last one carrying 2 unused bits
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = signature.charAt(signature.length() - 1);
        char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1); // differs only in an unused bit
        String respelled = token.substring(0, token.length() - 1) + sameBytes;
        assertArrayEquals(Base64.getUrlDecoder().decode(signature),
                Base64.getUrlDecoder().decode(respelled.substring(respelled.lastIndexOf('.') + 1)), "the same signature bytes");
        assertEquals("invalid token signature", reason(tokens(K1, now), respelled));
        assertEquals("invalid token signature", reason(tokens(K1, now), token + "="));
        assertEquals("alice@example.com", tokens(K1, now).verify(token).user());
    }

    @Test
    void keysRotate() throws Exception {
        String old = tokens(K1, now).issue("alice@example.com", "https://app.example").token();
        Tokens both = tokens(K1 + "," + K2, now);

        assertEquals("alice@example.com", both.verify(old).user()); // still verifies
        String fresh = both.issue("alice@example.com", "https://app.example").token();
        assertTrue(fresh.startsWith("v1.k2."), "the newest key signs");

        Tokens onlyNew = tokens(K2, now);
        assertEquals("alice@example.com", onlyNew.verify(fresh).user());
        assertEquals("token signed with an unknown key", reason(onlyNew, old));
    }

    @Test
    void aTokenSignedWithTheWrongSecretUnderAKnownIdIsForged() {
        String other = "k1:" + Base64.getEncoder().encodeToString("another secret of thirty-two b!!".getBytes(StandardCharsets.US_ASCII));
        String forged = tokens(other, now).issue("alice@example.com", "https://app.example").token();
        assertEquals("invalid token signature", reason(tokens(K1, now), forged));
    }

    @Test
    void weakOrMalformedKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse("bad id:AAAA"));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse(K1 + "," + K1));
        assertThrows(IllegalArgumentException.class, () -> TokenKeys.parse(""));
    }

    @Test
    void aGeneratedKeyFileIsPrivateAndStable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sauropod").resolve("token-keys");
        TokenKeys first = TokenKeys.fromFile(file);
        TokenKeys again = TokenKeys.fromFile(file);

        assertEquals(first.newest().id(), again.newest().id());
        assertEquals(Base64.getEncoder().encodeToString(first.newest().secret()),
                Base64.getEncoder().encodeToString(again.newest().secret()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
