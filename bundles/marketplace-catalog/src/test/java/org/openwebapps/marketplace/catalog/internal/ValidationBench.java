package org.openwebapps.marketplace.catalog.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Manifest validations per second on one thread: a typical 2011 manifest and one with ten locales.
 * Not a test: run by tools/bench/marketplace.sh.
 *
 * <p>{@code ValidationBench [seconds per manifest]}
 */
public final class ValidationBench {

    private ValidationBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String typical = "{\"name\":\"Space Race\",\"description\":\"Race through space against your friends.\","
                + "\"launch_path\":\"/index.html\",\"version\":\"1.2\",\"icons\":{\"16\":\"/i/16.png\",\"48\":\"/i/48.png\","
                + "\"128\":\"/i/128.png\"},\"developer\":{\"name\":\"Rocket Games\",\"url\":\"https://rocket.example\"},"
                + "\"installs_allowed_from\":[\"https://store.example\",\"*\"],\"default_locale\":\"en\"}";
        StringBuilder locales = new StringBuilder(typical.substring(0, typical.length() - 1)).append(",\"locales\":{");
        for (int i = 0; i < 10; i++) {
            locales.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":{\"name\":\"Name ").append(i)
                    .append("\",\"description\":\"Description ").append(i).append("\",\"launch_path\":\"/").append(i)
                    .append("/\",\"icons\":{\"128\":\"/i/").append(i).append(".png\"}}");
        }
        String withLocales = locales.append("}}").toString();
        ManifestValidator validator = new ManifestValidator("https://store.example");
        System.out.printf(Locale.ROOT, "manifest validations/s, 1 thread, %.0f s each%n", seconds);
        for (String[] manifest : new String[][] {{"typical", typical}, {"10 locales", withLocales}}) {
            byte[] bytes = manifest[1].getBytes(StandardCharsets.UTF_8);
            run(validator, bytes, seconds / 2); // warm-up
            long count = run(validator, bytes, seconds);
            System.out.printf(Locale.ROOT, "%-12s %6d bytes %10.0f /s%n", manifest[0], bytes.length, count / seconds);
        }
    }

    private static long run(ManifestValidator validator, byte[] manifest, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        while (System.nanoTime() < end) {
            if (!validator.validate("https://game.example/manifest.webapp", "https://game.example", manifest).valid()) {
                throw new IllegalStateException("the benchmark's manifest must be valid");
            }
            count++;
        }
        return count;
    }
}
