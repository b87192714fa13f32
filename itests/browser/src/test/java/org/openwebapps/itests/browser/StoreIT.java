package org.openwebapps.itests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The store's pages in Chromium against a {@code --try} server: search and install (the app then
 * on the Dashboard), buy through the fake provider (the receipt verifies on the Dashboard), and a
 * developer's submission approved by a reviewer.
 */
class StoreIT {

    @RegisterExtension
    static final Browser BROWSER = new Browser();
    private static TryServer server;
    private static WebDriver page;
    private static int shoppers;

    @BeforeAll
    static void start() {
        page = BROWSER.page();
        server = BROWSER.server();
    }

    @AfterAll
    static void stop() {
        BROWSER.close();
    }

    /** Opens a page of the server signed out, then signs in there as {@code name}. */
    private void signIn(String path, String name) {
        page.get(server.base + path);
        BROWSER.script("sessionStorage.clear()");
        page.navigate().refresh();
        WebElement email = BROWSER.await(By.id("signin-email"));
        email.sendKeys(server.email(name));
        page.findElement(By.id("signin")).click();
        BROWSER.await("signed in as " + name, d -> d.findElement(By.id("user-email")).getText().equals(server.email(name)));
    }

    private WebElement card(String name) {
        return BROWSER.await("a result named " + name, d -> d.findElements(By.cssSelector("#results > li")).stream()
                .filter(card -> card.findElement(By.cssSelector("[data-field=name]")).getText().equals(name)).findFirst().orElse(null));
    }

    private void open(String name) {
        card(name).findElement(By.cssSelector("[data-field=name]")).click();
        BROWSER.await("the page of " + name, d -> d.findElement(By.id("app-name")).getText().equals(name));
    }

    private String status() {
        return page.findElement(By.id("app-status")).getAttribute("data-state");
    }

    @Test
    void searchOpenInstallAndFindItOnTheDashboard() {
        String shopper = "shopper" + ++shoppers;
        signIn("/store/", shopper);
        WebElement query = page.findElement(By.id("search-q"));
        query.sendKeys("chess");
        page.findElement(By.id("search")).click();
        BROWSER.await("one result", d -> "1".equals(d.findElement(By.id("results-count")).getAttribute("data-total")));
        open("Chess Club");
        assertEquals("Free", page.findElement(By.id("app-price")).getText());
        BROWSER.await(By.id("install")).click();
        BROWSER.await("installed", d -> "installed".equals(status()));

        signIn("/dashboard/", shopper);
        BROWSER.await(By.cssSelector("[data-app-origin=\"" + server.sampleOrigin(2) + "\"]"));
    }

    @Test
    void buyThroughTheFakeProviderAndVerifyTheReceipt() {
        String shopper = "shopper" + ++shoppers;
        signIn("/store/", shopper);
        open("Star Cartographer");
        assertTrue(page.findElement(By.id("install")).getAttribute("hidden") != null, "no install before paying");
        String store = page.getWindowHandle();
        BROWSER.await(By.id("buy")).click();
        String payment = BROWSER.await("the payment window", d -> d.getWindowHandles().stream().filter(h -> !h.equals(store))
                .findFirst().orElse(null));
        page.switchTo().window(payment);
        BROWSER.await(By.id("fake-pay")).click();
        BROWSER.await("the payment's transaction shown", d -> d.findElement(By.xpath("//dt[text()='Transaction']/following-sibling::dd[1]"))
                .getText().startsWith("fake-"));
        page.close();
        page.switchTo().window(store);
        BROWSER.await("purchased", d -> "purchased".equals(status()));
        BROWSER.await(By.id("install")).click();
        BROWSER.await("installed", d -> "installed".equals(status()));

        page.get(server.base + "/store/#/mine");
        WebElement purchase = BROWSER.await(By.cssSelector("#mine-purchases > li[data-state=COMPLETED]"));
        assertEquals("true", purchase.getAttribute("data-has-receipt"));

        signIn("/dashboard/", shopper);
        By shown = By.cssSelector("[data-app-origin=\"" + server.sampleOrigin(3) + "\"] [data-receipt]");
        WebElement receipt = BROWSER.await(shown);
        assertEquals("purchase-receipt", receipt.getAttribute("data-receipt-typ"));
        receipt.findElement(By.cssSelector("button[data-action=verify-receipt]")).click();
        BROWSER.await("the receipt verified", d -> "ok".equals(d.findElement(shown).getAttribute("data-receipt-status")));
    }

    @Test
    void aDeveloperSubmitsAndAReviewerApproves() {
        String developer = "maker" + ++shoppers;
        signIn("/store/#/developer", developer);
        WebElement manifest = BROWSER.await(By.id("submit-manifest"));
        manifest.sendKeys("http://127.0.0.7:" + server.samplesPort + "/manifest.webapp");
        page.findElement(By.id("submit")).click();
        BROWSER.await("a report of errors", d -> "false".equals(d.findElement(By.id("validation-report")).getAttribute("data-valid")));
        Set<String> codes = new java.util.HashSet<>();
        page.findElements(By.cssSelector("#validation-messages [data-code]")).forEach(m -> codes.add(m.getAttribute("data-code")));
        assertTrue(codes.containsAll(Set.of("NAME_MISSING", "LAUNCH_PATH_INVALID")), "the report lists " + codes);
        assertTrue(page.findElements(By.cssSelector("#my-apps > li")).isEmpty(), "nothing stored");

        manifest.clear();
        manifest.sendKeys("http://127.0.0.6:" + server.samplesPort + "/manifest.webapp");
        page.findElement(By.id("submit")).click();
        WebElement submitted = BROWSER.await(By.cssSelector("#my-apps > li[data-status=pending]"));
        String id = submitted.getAttribute("data-app-id");

        signIn("/store/#/review", "reviewer");
        WebElement queued = BROWSER.await(By.cssSelector("#review-queue > li[data-app-id=\"" + id + "\"]"));
        queued.findElement(By.cssSelector("button[data-action=approve]")).click();
        BROWSER.await("gone from the queue", d -> d.findElements(By.cssSelector("#review-queue > li[data-app-id=\"" + id + "\"]"))
                .isEmpty());

        page.get(server.base + "/store/#/search/sketch");
        card("Sketch Pad");
    }

    /** Accessibility basics: every field labelled, every control a real button or link. */
    @Test
    void fieldsAreLabelledAndControlsAreButtonsOrLinks() {
        page.get(server.base + "/store/#/developer");
        BROWSER.await(By.id("signin-form"));
        List<String> unlabelled = new ArrayList<>();
        for (WebElement field : page.findElements(By.cssSelector("input, select"))) {
            if (page.findElements(By.cssSelector("label[for=\"" + field.getAttribute("id") + "\"]")).isEmpty()) {
                unlabelled.add(field.getAttribute("id"));
            }
        }
        assertTrue(unlabelled.isEmpty(), "fields without a label: " + unlabelled);
        assertFalse(page.findElements(By.cssSelector("[onclick], div[role=button], span[role=button]")).size() > 0,
                "no clickable non-controls");
    }
}
