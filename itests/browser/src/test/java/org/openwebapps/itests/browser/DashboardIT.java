package org.openwebapps.itests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The Dashboard (spec/marketplace.md section 8) in Chromium against a {@code --try} server: what
 * another device writes through the 2011 protocol shows up without a reload, and what the page
 * does reaches the other device.
 */
class DashboardIT {

    @RegisterExtension
    static final Browser BROWSER = new Browser();
    private static TryServer server;
    private static WebDriver page;
    private static int users;

    @BeforeAll
    static void start() throws Exception {
        page = BROWSER.page();
        server = BROWSER.server();
        // AppSync's poll interval reaches the page as X-Sync-Poll-Time: 1 s instead of its 10 s default
        server.configure("org.openwebapps.appsync", "poll.seconds", "1");
        server.configure("org.openwebapps.appsync", "retry.after.seconds", "4");
    }

    @AfterAll
    static void stop() {
        BROWSER.close();
    }

    /** Each test its own user, signed out at first. */
    private String user;

    @BeforeEach
    void freshUser() {
        user = "user" + ++users;
        page.get(server.base + "/dashboard/");
        BROWSER.script("sessionStorage.clear()");
        page.navigate().refresh();
        BROWSER.await(By.id("signin-form"));
    }

    private void signIn() {
        WebElement email = BROWSER.await(By.id("signin-email"));
        email.clear();
        email.sendKeys(server.email(user));
        page.findElement(By.id("signin")).click();
        BROWSER.await("signed in as " + user, d -> d.findElement(By.id("user-email")).getText().equals(server.email(user)));
        assertFalse(page.findElement(By.id("signin-form")).isDisplayed());
    }

    private static String app(String origin, String name) {
        return "{\"origin\":\"" + origin + "\",\"manifest_url\":\"" + origin + "/manifest.webapp\",\"manifest\":{\"name\":\""
                + name + "\",\"launch_path\":\"/play\",\"icons\":{\"128\":\"/icon.svg\"}},\"install_origin\":\"" + origin
                + "\",\"install_time\":1700000000000,\"last_modified\":" + System.currentTimeMillis() + "}";
    }

    private static By tile(String origin) {
        return By.cssSelector("[data-app-origin=\"" + origin + "\"]");
    }

    private String syncState() {
        return page.findElement(By.id("sync-status")).getAttribute("data-state");
    }

    @Test
    void appsFromAnotherDeviceAppearWithoutAReload() {
        signIn();
        BROWSER.await(By.id("apps-empty"));
        String[] phone = server.device(user);
        String origin = server.sampleOrigin(0);
        server.post(phone, "", "[" + app(origin, "Space Race") + "]");
        WebElement tile = BROWSER.await(tile(origin)); // the page redraws only when a sync brings changes
        assertEquals("Space Race", tile.findElement(By.cssSelector("[data-field=name]")).getText());
        assertEquals(origin + "/play", tile.findElement(By.cssSelector("a[data-action=launch]")).getAttribute("href"));
        assertEquals(origin + "/icon.svg", tile.findElement(By.tagName("img")).getAttribute("src"));
        assertFalse(page.findElement(By.id("apps-empty")).isDisplayed());

        server.post(phone, "", "[" + app(server.sampleOrigin(1), "another note") + "]");
        BROWSER.await(tile(server.sampleOrigin(1)));
        List<String> names = new ArrayList<>();
        page.findElements(By.cssSelector("#apps [data-field=name]")).forEach(name -> names.add(name.getText()));
        assertEquals(List.of("another note", "Space Race"), names, "by name, case-insensitive");
        String until = page.findElement(By.id("sync-status")).getAttribute("data-until");
        assertEquals(0, server.sync(phone, "0").path("until").decimalValue().compareTo(new java.math.BigDecimal(until)),
                "the page's until is AppSync's: " + until);

        page.navigate().refresh();
        BROWSER.await(tile(origin));
        assertEquals(server.email(user), page.findElement(By.id("user-email")).getText(), "a reload stays signed in");
    }

    @Test
    void uninstallIsATombstoneTheOtherDeviceSees() {
        String[] phone = server.device(user);
        String origin = server.sampleOrigin(2);
        server.post(phone, "", "[" + app(origin, "Chess Club") + "]");
        signIn();
        BROWSER.await(tile(origin)).findElement(By.cssSelector("button[data-action=uninstall]")).click();
        BROWSER.await("the tile gone", d -> d.findElements(tile(origin)).isEmpty());
        JsonNode seen = server.sync(phone, "0");
        JsonNode tombstone = seen.path("applications").get(0);
        assertEquals(origin, tombstone.path("origin").asText());
        assertTrue(tombstone.path("deleted").asBoolean());
        assertTrue(tombstone.path("last_modified").asLong() > 1_700_000_000_000L, "the page's Date.now()");
    }

    @Test
    void aDeletedOrReplacedCollectionIsListedAfresh() {
        String[] phone = server.device(user);
        server.post(phone, "", "[" + app(server.sampleOrigin(0), "Old One") + "]");
        signIn();
        BROWSER.await(tile(server.sampleOrigin(0)));
        String firstUuid = BROWSER.await("a uuid", d -> {
            String uuid = d.findElement(By.id("sync-status")).getAttribute("data-uuid");
            return uuid == null || uuid.isEmpty() ? null : uuid;
        });

        server.post(phone, "?delete", "{\"client_id\":\"phone\",\"reason\":\"reset\"}");
        BROWSER.await(By.id("apps-empty"));
        assertTrue(page.findElements(tile(server.sampleOrigin(0))).isEmpty(), "collection_deleted clears the list");

        // deleted and written again between two polls: the page sees only a new uuid
        server.post(phone, "", "[" + app(server.sampleOrigin(3), "Kept Apart") + "]");
        server.post(phone, "?delete", "{\"client_id\":\"phone\"}");
        server.post(phone, "", "[" + app(server.sampleOrigin(1), "New One") + "]");
        String newUuid = server.sync(phone, "0").path("uuid").asText();
        BROWSER.await("the new collection", d -> newUuid.equals(d.findElement(By.id("sync-status")).getAttribute("data-uuid")));
        BROWSER.await(tile(server.sampleOrigin(1)));
        assertTrue(page.findElements(tile(server.sampleOrigin(3))).isEmpty(), "nothing of the collection it replaced");
        assertNotEquals(firstUuid, newUuid);
    }

    /** AppSync answering 503: the page waits Retry-After, sending nothing, not even on "sync now". */
    @Test
    void aBusyServerIsLeftAloneForRetryAfter() throws Exception {
        signIn();
        BROWSER.await("idle", d -> "idle".equals(syncState()));
        BROWSER.script("window.__requests = 0; const send = window.fetch;"
                + " window.fetch = function () { window.__requests++; return send.apply(this, arguments); };");
        server.configure("org.openwebapps.storage.router", "primary", "mysql"); // not installed: no storage
        try {
            BROWSER.await("backoff", d -> "backoff".equals(syncState()));
            long sent = (Long) BROWSER.script("return window.__requests;");
            page.findElement(By.id("sync-now")).click();
            page.findElement(By.id("sync-now")).click();
            assertEquals(sent, (Long) BROWSER.script("return window.__requests;"), "nothing sent during the backoff");
            assertEquals("backoff", syncState());
        } finally {
            server.configure("org.openwebapps.storage.router", "primary", "embedded");
        }
        BROWSER.await("back to idle after Retry-After", d -> "idle".equals(syncState()));
    }

    /** A premium app bought through the store's API: its receipt shows on the tile and verifies. */
    @Test
    void aBoughtAppShowsAReceiptThatVerifies() {
        String token = server.storeToken(user);
        JsonNode premium = null;
        for (JsonNode app : server.store(200, "GET", "/apps?premium_type=premium", null, null).path("objects")) {
            premium = app;
        }
        assertTrue(premium != null, "tools/try/seed.py published a premium sample app");
        long id = premium.path("id").asLong();
        JsonNode prepared = server.store(201, "POST", "/payments/prepare", token, "{\"app\":" + id + "}");
        String session = prepared.path("redirect_url").asText().substring(server.base.length());
        assertEquals(200, server.expect(200, server.send("POST", session, Map.of("Content-Type", "application/json"),
                "{\"action\":\"pay\"}")).path("delivered_status").asInt());
        JsonNode installed = server.store(201, "POST", "/installs", token, "{\"app\":" + id + "}");
        String receipt = installed.path("receipts").get(0).asText();

        signIn();
        By shown = By.cssSelector("[data-app-origin=\"" + premium.path("origin").asText() + "\"] [data-receipt]");
        WebElement decoded = BROWSER.await(shown);
        assertEquals("purchase-receipt", decoded.getAttribute("data-receipt-typ"));
        assertEquals(server.base, decoded.getAttribute("data-receipt-iss"));
        assertEquals(String.valueOf(expOf(receipt)), decoded.getAttribute("data-receipt-exp"));
        decoded.findElement(By.cssSelector("button[data-action=verify-receipt]")).click();
        BROWSER.await("verified", d -> "ok".equals(d.findElement(shown).getAttribute("data-receipt-status")));
    }

    private static long expOf(String receipt) {
        try {
            String payload = receipt.substring(receipt.indexOf('~') + 1).split("\\.")[1];
            return TryServer.JSON.readTree(java.util.Base64.getUrlDecoder().decode(payload)).path("exp").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Accessibility basics: every field labelled, every control reachable with the keyboard. */
    @Test
    void fieldsAreLabelledAndControlsReachableByKeyboard() {
        for (WebElement input : page.findElements(By.cssSelector("input"))) {
            assertFalse(page.findElements(By.cssSelector("label[for=\"" + input.getAttribute("id") + "\"]")).isEmpty(),
                    "a label for #" + input.getAttribute("id"));
        }
        List<String> reached = new ArrayList<>();
        page.findElement(By.tagName("body")).click();
        for (int i = 0; i < 4; i++) {
            page.switchTo().activeElement().sendKeys(Keys.TAB);
            reached.add(page.switchTo().activeElement().getAttribute("id"));
        }
        assertTrue(reached.containsAll(List.of("signin-email", "signin")), "tab order reaches " + reached);
        page.findElement(By.id("signin-email")).sendKeys(server.email(user), Keys.ENTER);
        BROWSER.await("signed in by keyboard", d -> d.findElement(By.id("user-email")).getText().equals(server.email(user)));
        reached.clear();
        for (int i = 0; i < 6; i++) {
            page.switchTo().activeElement().sendKeys(Keys.TAB);
            reached.add(page.switchTo().activeElement().getAttribute("id"));
        }
        assertTrue(reached.containsAll(List.of("sync-now", "signout")), "tab order reaches " + reached);
    }
}
