package org.openwebapps.marketplace.catalog.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule of the contract's validation table, each error and warning with its path. */
class ManifestValidatorTest {

    private static final String STORE = "https://store.example";
    private static final String GOOD = "{\"name\":\"Game\",\"description\":\"A game\",\"launch_path\":\"/index.html\","
            + "\"icons\":{\"128\":\"/i/128.png\",\"16\":\"data:image/png;base64,AAAA\"},"
            + "\"developer\":{\"name\":\"Dev\",\"url\":\"https://dev.example\"},"
            + "\"installs_allowed_from\":[\"https://store.example\"],\"version\":\"1.0\",\"type\":\"web\"}";

    private static ValidationReport validate(String json) {
        return validate(json.getBytes(UTF_8));
    }

    private static ValidationReport validate(byte[] body) {
        return new ManifestValidator(STORE).validate("https://game.example/manifest.webapp", "https://game.example", body);
    }

    /** code@path of every message of one type, in report order. */
    private static List<String> codes(ValidationReport report, String type) {
        return report.messages().stream().filter(m -> m.type().equals(type)).map(m -> m.code() + "@" + m.path()).toList();
    }

    @Test
    void aCompleteManifestIsValidWithoutWarnings() {
        ValidationReport report = validate(GOOD);
        assertTrue(report.valid(), report.messages().toString());
        assertEquals(List.of(), report.messages());
        assertEquals("Game", report.manifest().path("name").asText());
        Map<String, Object> json = report.toJson();
        assertEquals(true, json.get("valid"));
        assertEquals(0L, json.get("errors"));
        assertEquals(0L, json.get("warnings"));
        assertEquals("https://game.example", json.get("origin"));
    }

    @Test
    void aMinimalManifestWarnsOfWhatIsMissing() {
        ValidationReport report = validate("{\"name\":\"Game\"}");
        assertTrue(report.valid());
        assertEquals(List.of("DESCRIPTION_MISSING@description", "ICON_128_MISSING@icons",
                "DEVELOPER_NAME_MISSING@developer.name", "INSTALLS_ALLOWED_FROM_MISSING@installs_allowed_from"),
                codes(report, "warning"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|MANIFEST_PARSE@",
        "[1,2]|MANIFEST_PARSE@",
        "\"name\"|MANIFEST_PARSE@",
        "{\"name\":\"a\",\"name\":\"b\"}|MANIFEST_PARSE@",
        "{\"name\":\"a\"} {}|MANIFEST_PARSE@",
        "{}|NAME_MISSING@name",
        "{\"name\":\"\"}|NAME_INVALID@name",
        "{\"name\":7}|NAME_INVALID@name",
        "{\"name\":\"a\",\"description\":\"\"}|DESCRIPTION_INVALID@description",
        "{\"name\":\"a\",\"description\":[]}|DESCRIPTION_INVALID@description",
        "{\"name\":\"a\",\"launch_path\":\"index.html\"}|LAUNCH_PATH_INVALID@launch_path",
        "{\"name\":\"a\",\"launch_path\":\"//evil.example/\"}|LAUNCH_PATH_INVALID@launch_path",
        "{\"name\":\"a\",\"launch_path\":3}|LAUNCH_PATH_INVALID@launch_path",
        "{\"name\":\"a\",\"icons\":[]}|ICONS_INVALID@icons",
        "{\"name\":\"a\",\"icons\":{\"0128\":\"/i.png\"}}|ICONS_INVALID@icons.0128",
        "{\"name\":\"a\",\"icons\":{\"big\":\"/i.png\"}}|ICONS_INVALID@icons.big",
        "{\"name\":\"a\",\"icons\":{\"128\":\"https://cdn.example/i.png\"}}|ICONS_INVALID@icons.128",
        "{\"name\":\"a\",\"icons\":{\"128\":5}}|ICONS_INVALID@icons.128",
        "{\"name\":\"a\",\"developer\":\"me\"}|DEVELOPER_INVALID@developer",
        "{\"name\":\"a\",\"developer\":{\"name\":\"d\",\"email\":\"d@x\"}}|DEVELOPER_INVALID@developer",
        "{\"name\":\"a\",\"developer\":{\"name\":\"d\",\"url\":\"ftp://x.example\"}}|DEVELOPER_INVALID@developer",
        "{\"name\":\"a\",\"developer\":{\"name\":1}}|DEVELOPER_INVALID@developer",
        "{\"name\":\"a\",\"locales\":{}}|DEFAULT_LOCALE_MISSING@default_locale",
        "{\"name\":\"a\",\"default_locale\":\"\"}|DEFAULT_LOCALE_INVALID@default_locale",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":[]}|LOCALES_INVALID@locales",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":\"x\"}}|LOCALES_INVALID@locales.fr",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"version\":\"2\"}}}|LOCALES_INVALID@locales.fr.version",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"name\":\"\"}}}|NAME_INVALID@locales.fr.name",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"launch_path\":\"x\"}}}|LAUNCH_PATH_INVALID@locales.fr.launch_path",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"icons\":{\"x\":\"/a\"}}}}|ICONS_INVALID@locales.fr.icons.x",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"developer\":[]}}}|DEVELOPER_INVALID@locales.fr.developer",
        "{\"name\":\"a\",\"default_locale\":\"en\",\"locales\":{\"fr\":{\"description\":1}}}|DESCRIPTION_INVALID@locales.fr.description",
        "{\"name\":\"a\",\"installs_allowed_from\":\"*\"}|INSTALLS_ALLOWED_FROM_INVALID@installs_allowed_from",
        "{\"name\":\"a\",\"installs_allowed_from\":[\"https://store.example/apps\"]}|INSTALLS_ALLOWED_FROM_INVALID@installs_allowed_from.0",
        "{\"name\":\"a\",\"installs_allowed_from\":[\"https://store.example/\"]}|INSTALLS_ALLOWED_FROM_INVALID@installs_allowed_from.0",
        "{\"name\":\"a\",\"installs_allowed_from\":[\"*\",3]}|INSTALLS_ALLOWED_FROM_INVALID@installs_allowed_from.1",
        "{\"name\":\"a\",\"installs_allowed_from\":[\"https://other.example\"]}|STORE_NOT_ALLOWED@installs_allowed_from",
        "{\"name\":\"a\",\"installs_allowed_from\":[]}|STORE_NOT_ALLOWED@installs_allowed_from",
        "{\"name\":\"a\",\"version\":1}|VERSION_INVALID@version",
        "{\"name\":\"a\",\"type\":\"privileged\"}|TYPE_INVALID@type",
    })
    void eachRuleHasItsCodeAndPath(String manifest, String expected) {
        ValidationReport report = validate(manifest);
        assertFalse(report.valid());
        assertEquals(List.of(expected), codes(report, "error"), manifest);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ValidationReport report = validate("{\"name\":\"\",\"description\":\"\",\"launch_path\":\"x\",\"icons\":[],"
                + "\"version\":2,\"type\":\"x\",\"colour\":\"red\"}");
        assertEquals(List.of("NAME_INVALID@name", "DESCRIPTION_INVALID@description", "LAUNCH_PATH_INVALID@launch_path",
                "ICONS_INVALID@icons", "VERSION_INVALID@version", "TYPE_INVALID@type"), codes(report, "error"));
        assertTrue(codes(report, "warning").contains("UNKNOWN_PROPERTY@colour"));
        assertEquals(6L, report.toJson().get("errors"));
    }

    @Test
    void storeOriginsCompareNormalisedAndTheWildcardAllowsAnyStore() {
        assertTrue(validate("{\"name\":\"a\",\"installs_allowed_from\":[\"HTTPS://Store.Example:443\"]}").valid());
        assertTrue(validate("{\"name\":\"a\",\"installs_allowed_from\":[\"*\"]}").valid());
    }

    @Test
    void marketplacePropertiesAreKnownOthersWarn() {
        ValidationReport report = validate("{\"name\":\"a\",\"permissions\":{},\"fullscreen\":\"true\",\"widget\":{},"
                + "\"x-custom\":1}");
        assertTrue(report.valid());
        assertEquals(List.of("UNKNOWN_PROPERTY@x-custom"),
                codes(report, "warning").stream().filter(c -> c.startsWith("UNKNOWN")).toList());
    }

    @Test
    void namesAreCountedInCharactersNotBytes() {
        assertTrue(validate("{\"name\":\"" + "é".repeat(128) + "\"}").valid());
        assertEquals(List.of("NAME_INVALID@name"), codes(validate("{\"name\":\"" + "a".repeat(129) + "\"}"), "error"));
        assertEquals(List.of("DESCRIPTION_INVALID@description"),
                codes(validate("{\"name\":\"a\",\"description\":\"" + "d".repeat(1025) + "\"}"), "error"));
    }

    @Test
    void aByteOrderMarkIsIgnoredButOtherEncodingsAreRefused() {
        byte[] json = "{\"name\":\"a\"}".getBytes(UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertTrue(validate(withBom).valid());
        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ValidationReport report = validate(latin1);
        assertEquals(List.of("MANIFEST_PARSE@"), codes(report, "error"));
        assertNull(report.manifest());
        assertEquals(List.of("MANIFEST_PARSE@"), codes(validate("{\"name\":\"a\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_16)), "error"));
    }

    @Test
    void deepNestingIsRefusedBeforeItCostsAnything() {
        String deep = "{\"name\":\"a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        ValidationReport report = validate(deep);
        assertEquals(List.of("MANIFEST_PARSE@"), codes(report, "error"));
        String fine = "{\"name\":\"a\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}";
        assertNotNull(validate(fine).manifest());
    }
}
