package org.openwebapps.fetch.http.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Configured hosts, each {@code host} (any port) or {@code host:port} (that port only); host
 * names and address literals as they appear in URLs, compared case-insensitively.
 */
final class HostList {

    private final Set<String> anyPort = new HashSet<>();
    private final Set<String> withPort = new HashSet<>();

    /** @param entries entries, or comma-separated lists of them (what a .cfg file gives) */
    HostList(String... entries) {
        Arrays.stream(entries).flatMap(entry -> Arrays.stream(entry.split(","))).map(String::trim)
                .filter(entry -> !entry.isEmpty()).map(entry -> entry.toLowerCase(Locale.ROOT)).forEach(entry -> {
                    int colon = entry.lastIndexOf(':');
                    boolean hasPort = colon > 0 && entry.indexOf(']') < colon && entry.substring(colon + 1).chars()
                            .allMatch(Character::isDigit) && colon < entry.length() - 1
                            && (entry.startsWith("[") || entry.indexOf(':') == colon);
                    (hasPort ? withPort : anyPort).add(entry);
                });
    }

    boolean matches(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        return anyPort.contains(name) || withPort.contains(name + ":" + port);
    }

    boolean isEmpty() {
        return anyPort.isEmpty() && withPort.isEmpty();
    }

    @Override
    public String toString() {
        Set<String> all = new HashSet<>(anyPort);
        all.addAll(withPort);
        return all.toString();
    }
}
