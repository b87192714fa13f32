package org.openwebapps.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a client presents to prove who it is.
 *
 * @param type     the kind of credential, the {@link AuthProvider#TYPE} of the providers that
 *                 verify it (e.g. {@code browserid})
 * @param value    the credential itself (e.g. a backed assertion); a secret, never logged
 * @param audience the relying party the credential was made for, in the form the client sent it
 *                 (e.g. {@code https://myapps.example}); null where the type has none
 */
public record Credential(String type, String value, String audience) {

    /** What clients that name no type send: the 2011 clients' BrowserID assertions. */
    public static final String DEFAULT_TYPE = "browserid";

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Credential {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The credential a client sent, of the type it named, so any installed provider can be used.
     *
     * @param type the type the request named; null or empty: {@link #DEFAULT_TYPE}
     * @throws IllegalArgumentException the type is not a provider type's shape (lower-case
     *         letters, digits, {@code . _ -}, at most 64): a client mistake, answered with 400
     */
    public static Credential of(String type, String value, String audience) {
        String named = type == null || type.isEmpty() ? DEFAULT_TYPE : type;
        if (!TYPE.matcher(named).matches()) {
            throw new IllegalArgumentException("invalid credential type");
        }
        return new Credential(named, value, audience);
    }

    /** Never shows the value. */
    @Override
    public String toString() {
        return "Credential[type=" + type + ", audience=" + audience + "]";
    }
}
