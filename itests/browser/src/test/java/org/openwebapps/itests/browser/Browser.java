package org.openwebapps.itests.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver (never a downloaded browser). Without
 * them the tests skip, except under {@code CI=true}, where they fail. A failing test leaves a
 * screenshot, the page and the browser console under {@code target/browser/failures/}: JUnit
 * reports a failure after the test's {@code @AfterEach}, so one browser serves a whole class and
 * is closed in its {@code @AfterAll}. The server is started once for all classes and stopped when
 * they are done (JUnit closes what its root store holds).
 */
final class Browser implements TestWatcher, BeforeAllCallback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);

    private ChromeDriver driver;
    private TryServer server;

    /** Opens the browser, and starts the {@code --try} server the first time (every class shares it). */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        open();
        server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(TryServer.class, key -> {
            try {
                return TryServer.start(output());
            } catch (Exception e) {
                throw new IllegalStateException("tools/run-server.sh --try did not start", e);
            }
        }, TryServer.class);
    }

    TryServer server() {
        return server;
    }

    WebDriver page() {
        return driver;
    }

    /** @return whether a browser can run here; false only outside CI */
    static boolean available() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: apt-get install chromium chromium-driver (.ci/run does)");
        }
        return installed;
    }

    static Path output() {
        return Path.of(System.getProperty("openwebapps.browser.output", "target/browser"));
    }

    /** For a benchmark: the same browser, outside JUnit. */
    ChromeDriver openForBenchmark() {
        if (!available()) {
            throw new IllegalStateException("no chromium and chromium-driver here (apt-get install chromium chromium-driver)");
        }
        open();
        return driver;
    }

    private void open() {
        Assumptions.assumeTrue(available(), "no chromium and chromium-driver here (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--no-first-run", "--disable-background-networking", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    void close() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        // an element replaced while the condition looked at it (the page redrew, a form reloaded its page): look again
        return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    WebElement await(By by) {
        return await("visible: " + by, d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** The browser console since the last call. */
    String console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        try {
            Path failures = output().resolve("failures");
            Files.createDirectories(failures);
            String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
            Files.write(failures.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(failures.resolve(name + ".console.log"), console() + "\n\nURL: " + driver.getCurrentUrl()
                    + "\n\n" + driver.getPageSource());
            System.err.println("Browser test " + name + " failed: screenshot and console in " + failures);
        } catch (Exception e) {
            System.err.println("No screenshot of the failure: " + e);
        }
    }

    /** Runs a script in the page (WebDriver's, so the page's CSP does not apply to it). */
    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }
}
