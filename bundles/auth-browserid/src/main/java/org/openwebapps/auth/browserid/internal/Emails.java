package org.openwebapps.auth.browserid.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict email validation: the local part from BrowserID's character set, one {@code @}, a host
 * name with an optional port (test IdPs live at {@code 127.0.0.1:PORT}), 3 to 254 characters.
 */
final class Emails {

    private static final Pattern EMAIL = Pattern.compile(
            "[\\w!#$%&'*+/=?^`{|}~.\\-]+@[A-Za-z0-9](?:[A-Za-z0-9.\\-]*[A-Za-z0-9])?(?::[0-9]{1,5})?");

    private Emails() {
    }

    static boolean valid(String email) {
        return email != null && email.length() >= 3 && email.length() <= 254 && EMAIL.matcher(email).matches();
    }

    /** @return the domain (with port) of a valid address */
    static String domain(String email) {
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
