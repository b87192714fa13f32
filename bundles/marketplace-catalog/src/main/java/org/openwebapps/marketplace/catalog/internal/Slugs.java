package org.openwebapps.marketplace.catalog.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** App slugs: {@code [a-z0-9-]{1,30}}, made from names, never a reserved word nor all digits (ids are). */
final class Slugs {

    static final int MAX_CHARS = 30;
    private static final Pattern VALID = Pattern.compile("[a-z0-9-]{1," + MAX_CHARS + "}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** Paths under {@code apps/} that are not apps. */
    private static final Set<String> RESERVED = Set.of("mine", "validate");

    private Slugs() {
    }

    /** @return whether a developer may choose {@code slug} */
    static boolean valid(String slug) {
        return slug != null && VALID.matcher(slug).matches() && !RESERVED.contains(slug) && !DIGITS.matcher(slug).matches();
    }

    /**
     * @param name    the app's name
     * @param attempt 1 for the first choice, 2, 3 ... after clashes
     * @return the slug to try: the name's letters and digits joined by {@code -}, then {@code -2}, {@code -3} ...
     */
    static String fromName(String name, int attempt) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String base = ascii.isEmpty() || DIGITS.matcher(ascii).matches() ? "app" + (ascii.isEmpty() ? "" : "-" + ascii) : ascii;
        int number = RESERVED.contains(base) ? attempt + 1 : attempt;
        String suffix = number == 1 ? "" : "-" + number;
        String cut = base.substring(0, Math.min(base.length(), MAX_CHARS - suffix.length())).replaceAll("-+$", "");
        return cut + suffix;
    }
}
