package org.openwebapps.itests.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Measures the pages in Chromium against a {@code --try} server and takes the screenshots under
 * {@code docs/screenshots/} (a benchmark, not a test: tools/bench/pages.sh runs it): the Dashboard
 * with 20 apps from the first byte to the list shown, cold (HTTP cache cleared) and warm (reloaded,
 * answers 304); the bytes a visit moves; how long an app installed on another device takes to
 * appear, with AppSync's default poll (none: the page's 10 s) and with X-Sync-Poll-Time 1 s.
 */
public final class PageTiming {

    private static final int APPS = 20;
    private static final int RUNS = 5;

    private PageTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(System.getProperty("openwebapps.repo"), "docs", "screenshots");
        Files.createDirectories(docs);
        Browser browser = new Browser();
        try (TryServer server = TryServer.start(Files.createTempDirectory("page-timing"))) {
            ChromeDriver page = browser.openForBenchmark();
            String[] phone = server.device("timing");
            StringBuilder apps = new StringBuilder("[");
            for (int i = 0; i < APPS; i++) {
                String origin = "https://app" + i + ".example";
                apps.append(i == 0 ? "" : ",").append("{\"origin\":\"").append(origin).append("\",\"manifest\":{\"name\":\"App ")
                        .append(i).append("\",\"launch_path\":\"/\"},\"last_modified\":").append(System.currentTimeMillis()).append('}');
            }
            server.post(phone, "", apps.append(']').toString());
            page.get(server.base + "/dashboard/");
            page.findElement(By.id("signin-email")).sendKeys(server.email("timing"));
            page.findElement(By.id("signin")).click();
            awaitTiles(page, APPS);

            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            List<Long> coldBytes = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                page.executeCdpCommand("Network.clearBrowserCache", Map.of());
                page.navigate().refresh();
                cold.add(shownAfter(page));
                coldBytes.add(bytes(page));
                page.navigate().refresh();
                warm.add(shownAfter(page));
            }
            System.out.printf("Dashboard, %d apps, list shown after the navigation started: cold %s ms, warm %s ms%n", APPS, cold, warm);
            System.out.printf("bytes moved by a cold visit (page, script, style, config, sync answers): %s%n", coldBytes);
            Files.write(docs.resolve("dashboard.png"), page.getScreenshotAs(OutputType.BYTES));

            System.out.printf("an app installed on another device, shown after: default poll %s ms%n", appearances(server, page, phone, 3));
            server.configure("org.openwebapps.appsync", "poll.seconds", "1");
            page.navigate().refresh();
            awaitTiles(page, APPS + 3);
            System.out.printf("an app installed on another device, shown after: X-Sync-Poll-Time 1 s %s ms%n",
                    appearances(server, page, phone, 5));

            screenshots(server, page, docs);
        } finally {
            browser.close();
        }
    }

    private static void awaitTiles(ChromeDriver page, int count) {
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElements(By.cssSelector("#apps > li")).size() >= count);
    }

    /** @return ms from the navigation's start to the page's "apps-shown" mark */
    private static double shownAfter(ChromeDriver page) {
        return ((Number) new WebDriverWait(page, Browser.WAIT).until(d -> page.executeScript(
                "const m = performance.getEntriesByName('apps-shown'); return m.length ? Math.round(m[0].startTime) : null;")))
                .doubleValue();
    }

    private static long bytes(ChromeDriver page) {
        return ((Number) page.executeScript("return performance.getEntriesByType('navigation').concat("
                + "performance.getEntriesByType('resource').filter(e => e.name.startsWith(location.origin)))"
                + ".reduce((sum, e) => sum + e.transferSize, 0);")).longValue();
    }

    /** Installs apps on the other device one by one; @return how long each took to show */
    private static List<Long> appearances(TryServer server, ChromeDriver page, String[] phone, int count) {
        List<Long> took = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String origin = "https://late" + System.nanoTime() + ".example";
            page.executeScript("window.__seen = null; const origin = arguments[0]; new MutationObserver((m, o) => {"
                    + " if (document.querySelector('[data-app-origin=\"' + origin + '\"]')) { window.__seen = Date.now(); o.disconnect(); }"
                    + " }).observe(document.getElementById('apps'), {childList: true});", origin);
            long sent = System.currentTimeMillis();
            server.post(phone, "", "[{\"origin\":\"" + origin + "\",\"manifest\":{\"name\":\"Late\"},\"last_modified\":" + sent + "}]");
            long seen = ((Number) new WebDriverWait(page, java.time.Duration.ofSeconds(30))
                    .until(d -> page.executeScript("return window.__seen;"))).longValue();
            took.add(seen - sent);
        }
        return took;
    }

    private static void screenshots(TryServer server, ChromeDriver page, Path docs) throws Exception {
        page.get(server.base + "/store/");
        page.findElement(By.id("signin-email")).sendKeys(server.email("timing"));
        page.findElement(By.id("signin")).click();
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElements(By.cssSelector("#results > li")).size() >= 4);
        shot(page, docs, "store.png");
        page.findElements(By.cssSelector("#results [data-field=name]")).stream().filter(a -> a.getText().equals("Star Cartographer"))
                .findFirst().orElseThrow().click();
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElement(By.id("buy")).isDisplayed());
        shot(page, docs, "store-app.png");
        page.get(server.base + "/store/#/developer");
        page.findElement(By.id("submit-manifest")).sendKeys("http://127.0.0.7:" + server.samplesPort + "/manifest.webapp");
        page.findElement(By.id("submit")).click();
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElement(By.id("validation-report")).isDisplayed());
        shot(page, docs, "store-developer.png");
        page.findElement(By.id("submit-manifest")).clear();
        page.findElement(By.id("submit-manifest")).sendKeys("http://127.0.0.6:" + server.samplesPort + "/manifest.webapp");
        page.findElement(By.id("submit")).click();
        new WebDriverWait(page, Browser.WAIT).until(d -> !d.findElements(By.cssSelector("#my-apps > li[data-status=pending]")).isEmpty());
        page.get(server.base + "/store/#/mine");
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElement(By.id("mine")).isDisplayed());
        shot(page, docs, "store-mine.png");
        page.findElement(By.id("signout")).click();
        page.findElement(By.id("signin-email")).clear();
        page.findElement(By.id("signin-email")).sendKeys(server.email("reviewer"));
        page.findElement(By.id("signin")).click();
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElement(By.id("nav-review")).isDisplayed());
        page.get(server.base + "/store/#/review");
        new WebDriverWait(page, Browser.WAIT).until(d -> d.findElement(By.id("review")).isDisplayed());
        shot(page, docs, "store-review.png");
        page.get(server.base + "/");
        shot(page, docs, "landing.png");
    }

    private static void shot(ChromeDriver page, Path docs, String name) throws Exception {
        Files.write(docs.resolve(name), page.getScreenshotAs(OutputType.BYTES));
    }
}
