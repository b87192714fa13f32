package org.openwebapps.auth.browserid.internal;

import java.util.regex.Pattern;

/**
 * Email and IdP domains: a DNS host name (labels of letters, digits and inner hyphens, at most 253
 * characters) or a dotted-quad IPv4 address, with an optional port 1-65535 (test IdPs live at
 * {@code 127.0.0.1:PORT}). A numeric last label (digits, or hex with 0x) must belong to a dotted
 * quad, so {@code 127.1}, {@code foo.123} or {@code 0x7f000001} are refused rather than read differently by different parsers.
 */
final class Domains {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** What URL parsers read as a number: decimal, or hex with 0x. */
    private static final Pattern NUMERIC = Pattern.compile("(?i)[0-9]+|0x[0-9a-f]*");

    private Domains() {
    }

    static boolean valid(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253 + 6) {
            return false;
        }
        String host = domain;
        int colon = domain.indexOf(':');
        if (colon >= 0) {
            String port = domain.substring(colon + 1);
            if (!DIGITS.matcher(port).matches() || port.length() > 5 || Integer.parseInt(port) < 1
                    || Integer.parseInt(port) > 65535) {
                return false;
            }
            host = domain.substring(0, colon);
        }
        if (host.length() > 253) {
            return false;
        }
        if (DOTTED_QUAD.matcher(host).matches()) {
            return true;
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false; // empty (a..b, trailing dot), too long, bad characters or hyphens
            }
        }
        return !NUMERIC.matcher(labels[labels.length - 1]).matches();
    }
}
