package org.openwebapps.marketplace.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "https://game.example/manifest.webapp,https://game.example",
        "HTTPS://Game.Example:443/m,https://game.example",
        "http://game.example:80/m,http://game.example",
        "http://127.0.0.1:8080/m?x=1#y,http://127.0.0.1:8080",
        "https://[::1]:8443/m,https://[::1]:8443",
        "ftp://game.example/m,-",
        "/manifest.webapp,-",
        "https://user:pw@game.example/m,-",
        "https:///m,-",
        "mailto:a@b.example,-",
        "'https://game.example/a b',-",
    })
    void manifestUrlsHaveOneNormalisedOrigin(String url, String origin) {
        assertEquals(Optional.ofNullable(origin), Origins.ofUrl(url));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "https://store.example,https://store.example",
        "https://Store.Example:443,https://store.example",
        "https://store.example/,-",
        "https://store.example/apps,-",
        "https://store.example?x,-",
        "store.example,-",
    })
    void installsAllowedFromEntriesAreExactOrigins(String value, String origin) {
        assertEquals(Optional.ofNullable(origin), Origins.exactOrigin(value));
    }

    @org.junit.jupiter.api.Test
    void overlongUrlsHaveNoOrigin() {
        assertEquals(Optional.empty(), Origins.ofUrl("https://game.example/" + "a".repeat(2048)));
        assertEquals(Optional.empty(), Origins.ofUrl("https://" + "a".repeat(200) + ".example/m"));
    }
}
