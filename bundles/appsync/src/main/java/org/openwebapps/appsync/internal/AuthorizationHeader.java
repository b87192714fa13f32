package org.openwebapps.appsync.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import java.util.Optional;

/**
 * {@code Authorization: AppSync B64(assertion):B64(email):B64(token)}, URL-safe base64 with
 * padding, the form the 2011 clients store and send back verbatim. Here the first part is empty
 * (the server never re-verifies an assertion), the second names the user and the third is a
 * Sauropod session token: signed, expiring, bound to that user and AppSync's bucket.
 */
final class AuthorizationHeader {

    private static final String SCHEME = "AppSync ";
    private static final int MAX_LENGTH = 4096;

    /** The user and token a header names. */
    record Credentials(String email, String token) {
    }

    private AuthorizationHeader() {
    }

    static String format(String email, String token) {
        Base64.Encoder encoder = Base64.getUrlEncoder();
        return SCHEME + ":" + encoder.encodeToString(email.getBytes(UTF_8)) + ":" + encoder.encodeToString(token.getBytes(UTF_8));
    }

    /** @return the credentials, or empty when the header is missing or malformed */
    static Optional<Credentials> parse(String header) {
        if (header == null || header.length() > MAX_LENGTH || !header.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String[] parts = header.substring(SCHEME.length()).trim().split(":", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String email = new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8);
            String token = new String(Base64.getUrlDecoder().decode(parts[2]), UTF_8);
            return email.isEmpty() || token.isEmpty() ? Optional.empty() : Optional.of(new Credentials(email, token));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
