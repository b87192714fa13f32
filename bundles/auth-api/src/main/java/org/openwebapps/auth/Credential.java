package org.openwebapps.auth;

import java.util.Objects;

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

    public Credential {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** Never shows the value. */
    @Override
    public String toString() {
        return "Credential[type=" + type + ", audience=" + audience + "]";
    }
}
