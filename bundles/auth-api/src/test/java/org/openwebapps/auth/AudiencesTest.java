package org.openwebapps.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudiencesTest {

    @ParameterizedTest
    @CsvSource({
        "https://MyApps.Example, https://myapps.example",
        "myapps.example, https://myapps.example",
        "myapps.example:8443, https://myapps.example:8443",
        "HTTP://myapps.example:80, http://myapps.example",
        "https://myapps.example:443/, https://myapps.example",
        "http://localhost:8080, http://localhost:8080",
        "app://packaged.example, app://packaged.example",
    })
    void normalised(String audience, String bucket) {
        assertEquals(Optional.of(bucket), Audiences.normalise(audience));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "https://a.example/path", "https://a.example?x=1", "https://u@a.example",
            "ftp://a.example", "https://", "https://a.example#f", "%%%",
            "https://u:p@a.example", "u@a.example", "https://a.example:0", "https://a.example:99999"})
    void notOrigins(String audience) {
        assertEquals(Optional.empty(), Audiences.normalise(audience));
    }
}
