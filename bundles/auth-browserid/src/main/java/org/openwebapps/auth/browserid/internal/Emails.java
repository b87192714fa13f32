package org.openwebapps.auth.browserid.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict email validation: the local part from BrowserID's character set, one {@code @}, a host
 * domain as {@link Domains} accepts it, 3 to 254 characters.
 */
final class Emails {

    private static final Pattern LOCAL_PART = Pattern.compile("[\\w!#$%&'*+/=?^`{|}~.\\-]+");

    private Emails() {
    }

    static boolean valid(String email) {
        if (email == null || email.length() < 3 || email.length() > 254) {
            return false;
        }
        int at = email.indexOf('@');
        return at > 0 && LOCAL_PART.matcher(email.substring(0, at)).matches() && Domains.valid(email.substring(at + 1));
    }

    /** @return the domain (with port) of a valid address */
    static String domain(String email) {
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
