package org.idbroker.it.support;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser: Debian's headless Chromium driven through chromedriver, both found on the
 * machine (never downloaded: Selenium Manager is not consulted, as both paths are given). Without
 * them, {@link #start()} aborts the test as not run, saying why, or fails it when the system
 * property {@code idbroker.test.requireBrowser} is {@code true}, or the environment variable {@code CI} is {@code true}
 * (CI installs the browser, so there they must run).
 */
public final class TestingChrome implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("idbroker.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("idbroker.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private TestingChrome(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser with a fresh profile; the test is reported as not run when Chromium is missing. */
    public static TestingChrome start() {
        String missing = "Browser tests not run: they need Chromium at " + CHROMIUM + " and chromedriver at " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver).";
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && (Boolean.getBoolean("idbroker.test.requireBrowser") || "true".equals(System.getenv("CI")))) {
            throw new IllegalStateException(missing + " -Didbroker.test.requireBrowser=true or CI=true makes that a failure.");
        }
        Assumptions.assumeTrue(present, missing);
        // Selenium Manager must never try to download a browser or a driver
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("idbroker-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--window-size=1280,1000", "--lang=en-US",
                // every page under test is on this machine: other hosts (web fonts of the IdP's page) fail at once
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingPort(freePort()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new TestingChrome(service, driver, profile);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Waits until a signed-in page has loaded its data ({@code body[data-ready]}). */
    public void waitForPage() {
        waitFor(By.cssSelector("body[data-ready='true']"));
    }

    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public void waitForText(By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    public void waitUntilUrlContains(String part) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains(part));
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public Optional<WebElement> visible(By by) {
        return driver.findElements(by).stream().filter(WebElement::isDisplayed).findFirst();
    }

    /** Clears a field and types into it, as a person would. */
    public void type(By by, String text) {
        WebElement field = waitFor(by);
        field.clear();
        field.sendKeys(text);
    }

    public void click(By by) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /**
     * Fills in mock-oauth2-server's login form (shown when the IdP is interactive): the subject, and
     * the claims the ID token should carry.
     */
    public void signInAtIdp(String subject, String claimsJson) {
        type(By.name("username"), subject);
        type(By.name("claims"), claimsJson);
        click(By.cssSelector("input[type='submit']"));
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * The elements that stick out past the right edge of the window (each as tag#id.class and its
     * width): empty when nothing needs sideways scrolling.
     */
    @SuppressWarnings("unchecked")
    public List<String> overflowingElements() {
        Object found = driver.executeScript("""
                const limit = document.documentElement.clientWidth;
                const out = [];
                for (const e of document.body.querySelectorAll('*')) {
                  const box = e.getBoundingClientRect();
                  if (box.width > 0 && box.right > limit + 1 && !e.closest('.table-wrap *')) {
                    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                      + ' ' + Math.round(box.width) + 'px');
                  }
                }
                if (document.documentElement.scrollWidth > limit) {
                  out.push('page ' + document.documentElement.scrollWidth + 'px wide in a ' + limit + 'px window');
                }
                return out;""");
        return (List<String>) found;
    }

    /** Waits until the element is no longer marked as loading ({@code aria-busy}). */
    public void waitUntilLoaded(By by) {
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(by).getAttribute("aria-busy") == null);
    }

    /** Saves what the browser shows now as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        requireNonNull(name, "name is null");
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends a browser test: a screenshot named after the test, the browser closed, then each of {@code others} closed in
     * order (null ones skipped), every one even when an earlier close fails; the first failure is thrown.
     */
    public static void finish(TestingChrome chrome, TestInfo test, AutoCloseable... others) throws Exception {
        Exception failure = null;
        if (chrome != null) {
            try {
                chrome.screenshot(test.getTestClass().orElseThrow().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName());
                chrome.close();
            } catch (Exception e) {
                failure = e;
            }
        }
        for (AutoCloseable other : others) {
            if (other == null) {
                continue;
            }
            try {
                other.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
