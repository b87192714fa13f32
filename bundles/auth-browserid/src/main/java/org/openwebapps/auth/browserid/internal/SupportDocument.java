package org.openwebapps.auth.browserid.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.browserid.PublicKeys;

/**
 * A parsed {@code /.well-known/browserid} document: primary support turned off, a delegation to
 * another domain, or support with its keys ({@code public-key} and {@code keys[]}, so an IdP can
 * rotate).
 */
sealed interface SupportDocument {

    /** {@code {"disabled": true}}: the domain has no primary; the fallback IdP speaks for it. */
    record Disabled() implements SupportDocument {
    }

    /** {@code {"authority": "other.domain"}}: that domain's IdP speaks for this one. */
    record Delegated(String authority) implements SupportDocument {
    }

    /** An IdP: its signing keys. */
    record Supported(List<PublicKeys.SizedKey> keys) implements SupportDocument {
    }

    /**
     * @throws BrowserIdException "bad support document for 'domain': ..."
     */
    static SupportDocument parse(String domain, Object json, boolean allowWeakKeys) throws BrowserIdException {
        if (!(json instanceof Map<?, ?> document)) {
            throw bad(domain, "not a JSON object");
        }
        Object disabled = document.get("disabled");
        if (disabled != null && !(disabled instanceof Boolean)) {
            throw bad(domain, "'disabled' must be true or false");
        }
        if (Boolean.TRUE.equals(disabled)) {
            return new Disabled();
        }
        Object authority = document.get("authority");
        if (authority != null) {
            if (!(authority instanceof String name) || !Domains.valid(name)) {
                throw bad(domain, "invalid 'authority'");
            }
            return new Delegated(name.toLowerCase(Locale.ROOT));
        }
        for (String path : List.of("authentication", "provisioning")) {
            Object value = document.get(path);
            if (value == null) {
                throw bad(domain, "support document missing required property: '" + path + "'");
            }
            if (!(value instanceof String text) || !text.startsWith("/")) {
                throw bad(domain, "'" + path + "' must be a path starting with /");
            }
        }
        List<PublicKeys.SizedKey> keys = new ArrayList<>();
        if (document.get("public-key") != null) {
            keys.add(key(domain, document.get("public-key"), allowWeakKeys));
        }
        if (document.get("keys") != null) {
            if (!(document.get("keys") instanceof List<?> list)) {
                throw bad(domain, "'keys' must be an array");
            }
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map && map.get("use") != null && !"sig".equals(map.get("use"))) {
                    continue; // not a signing key
                }
                keys.add(key(domain, entry, allowWeakKeys));
            }
        }
        if (keys.isEmpty()) {
            throw bad(domain, "no public key");
        }
        return new Supported(List.copyOf(keys));
    }

    private static PublicKeys.SizedKey key(String domain, Object json, boolean allowWeakKeys) throws BrowserIdException {
        try {
            return PublicKeys.fromJson(json, allowWeakKeys);
        } catch (BrowserIdException e) {
            throw bad(domain, e.getMessage());
        }
    }

    private static BrowserIdException bad(String domain, String why) {
        return new BrowserIdException("bad support document for '" + domain + "': " + why);
    }
}
