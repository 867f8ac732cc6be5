package dev.mlv.serve.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.serve.MlvServer;
import dev.mlv.serve.ServeOptions;
import dev.mlv.testing.Browser;
import dev.mlv.testing.BrowserSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web view in a real headless Chromium (Debian's chromium and chromium-driver), one browser
 * for the whole class. Charts are checked by reading back the data uPlot draws from
 * ({@code window.mlvCharts}), not by the presence of a canvas. Screenshots of each page go to
 * {@code target/screenshots/}.
 */
@Browser
class WebUiBrowserTest {
    private static final String TOKEN = "browser-token";
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path root;
    static MlvRepository repo;
    static MlvServer open;
    static MlvServer locked;
    static ChromeDriver driver;
    /** Selenium warns that it has no DevTools bindings for this Chromium; the tests use none. Held so the level sticks. */
    private static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void setUp() throws Exception {
        BrowserSupport.assumeAvailable();
        SELENIUM.setLevel(java.util.logging.Level.SEVERE);
        WebFixture fixture = new WebFixture(root);
        repo = MlvRepository.open(fixture.dir, new Session(Clock.systemUTC(), Map.of()));
        open = MlvServer.start(repo, ServeOptions.defaults());
        locked = MlvServer.start(repo, new ServeOptions(ServeOptions.LOOPBACK, 0, TOKEN, 4));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserSupport.browser().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--no-first-run", "--disable-extensions", "--user-data-dir=" + root.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(BrowserSupport.driver().toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void tearDown() {
        if (driver != null) {
            driver.quit();
        }
        if (open != null) {
            open.close();
            locked.close();
            repo.close();
        }
    }

    private static void go(MlvServer server, String path) {
        driver.get(server.uri().resolve(path).toString());
    }

    @SuppressWarnings("unchecked")
    private static <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page from the top (up to 2,000 pixels high), then the window as it was. */
    private static void screenshot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        js("window.scrollTo(0, 0);");
        long height = ((Number) js("return document.documentElement.scrollHeight;")).longValue();
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(2000, Math.max(600, height + 120))));
        Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(before);
    }

    private static List<String> branchOrder() {
        return js("return Array.from(document.querySelectorAll('#experiments tbody tr'))"
                + ".filter(function (r) { return !r.hidden; }).map(function (r) { return r.getAttribute('data-branch'); });");
    }

    private static WebElement header(String text) {
        return driver.findElements(By.cssSelector("#experiments thead th")).stream()
                .filter(th -> th.getText().startsWith(text)).findFirst().orElseThrow();
    }

    private static void assertNoAlert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    /**
     * The element, waited for up to 10 s: after a click that submits a form or follows a link, the
     * new page arrives asynchronously, and looking at once may find the old one still showing.
     */
    private static WebElement find(By by) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<WebElement> found = driver.findElements(by);
            if (!found.isEmpty() || System.nanoTime() > end) {
                return found.isEmpty() ? driver.findElement(by) : found.get(0);
            }
            Thread.sleep(25);
        }
    }

    /**
     * The page's address once {@code navigated} holds for it, or after 10 s: a click that submits a
     * form navigates asynchronously, so reading the address at once may still give the old page's.
     */
    private String urlOnceIt(java.util.function.Predicate<String> navigated) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        String url = driver.getCurrentUrl();
        while (!navigated.test(url) && System.nanoTime() < end) {
            Thread.sleep(25);
            url = driver.getCurrentUrl();
        }
        return url;
    }

    @Test
    void experimentsTableLoadsSortsFiltersAndChoosesColumns() throws Exception {
        go(open, "ui/");
        assertThat(branchOrder()).hasSize(6).startsWith("main");
        // accuracy is a max metric: the first click puts the best first
        header("accuracy").click();
        List<Object> accuracy = js("return Array.from(document.querySelectorAll('#experiments tbody tr'))"
                + ".map(function (r) { return parseFloat(r.cells[4].getAttribute('data-v')); });");
        assertThat(accuracy).containsExactly(0.9, 0.85, 0.85, 0.8, 0.8, 0.8);
        assertThat(branchOrder().get(0)).isEqualTo("exp-b");
        assertThat(find(By.cssSelector("#experiments tbody tr:first-child td.best")).getText()).startsWith("0.9");
        header("accuracy").click();
        assertThat(branchOrder().get(5)).isEqualTo("exp-b");
        header("branch").click();
        assertThat(branchOrder()).containsExactly("<img src=x onerror=alert(1)>", "<img/src=x/onerror=alert(2)>", "exp-a", "exp-b",
                "main", "prod");
        screenshot("experiments");

        find(By.id("quick")).sendKeys("exp-");
        assertThat(branchOrder()).containsExactly("exp-a", "exp-b");
        assertThat(find(By.id("count")).getText()).isEqualTo("2 of 6 branches");
        find(By.cssSelector("details.columns summary")).click();
        find(By.cssSelector("details.columns input[data-col='5']")).click();
        assertThat(driver.findElements(By.cssSelector("#experiments thead th")).get(5).isDisplayed()).isFalse();
        // remembered in this browser. Chromium hands a page's localStorage writes to its storage
        // service asynchronously, and a new page may live in another renderer process: under load
        // the first page load after the click can still read the old value, so load it again
        // (for up to 10 s) until it holds.
        long end = System.nanoTime() + 10_000_000_000L;
        boolean remembered;
        do {
            go(open, "ui/");
            remembered = Boolean.TRUE.equals(js("return document.querySelectorAll('#experiments thead th')[5].hidden;"));
            if (!remembered) {
                Thread.sleep(250);
            }
        } while (!remembered && System.nanoTime() < end);
        assertThat(remembered).as("column 5 hidden after a reload").isTrue();
        js("localStorage.clear();");
    }

    @Test
    void compareDrawsOneSeriesPerExperimentWithItsValues() throws Exception {
        go(open, "ui/");
        for (String b : new String[] {"exp-b", "main", "exp-a"}) {
            find(By.cssSelector("#experiments tr[data-branch='" + b + "'] input[name='b']")).click();
        }
        find(By.id("compare")).click();
        assertThat(urlOnceIt(u -> u.contains("/ui/compare"))).contains("/ui/compare?b=main&b=exp-a&b=exp-b");
        List<Object> labels = js("return mlvCharts.accuracy.series.slice(1).map(function (s) { return s.label; });");
        assertThat(labels).containsExactly("main", "exp-a", "exp-b");
        // series i holds experiment i's value at x = i, and nothing elsewhere
        List<Object> values = js("return mlvCharts.accuracy.data.slice(1).map(function (s, i) { return s[i]; });");
        assertThat(values).containsExactly(0.8, 0.85, 0.9);
        List<Object> others = js("return mlvCharts.loss.data.slice(1).map(function (s) { return s.filter(function (v) { return v !== null; }).length; });");
        assertThat(others).containsExactly(1L, 1L, 1L);
        List<Object> loss = js("return mlvCharts.loss.data.slice(1).map(function (s, i) { return s[i]; });");
        assertThat(loss).containsExactly(0.5, 0.4, 0.45);
        // the training curves overlaid: one line per experiment over the union of their steps
        List<Object> curveLabels = js("return mlvCharts['curve:train.loss'].series.slice(1).map(function (s) { return s.label; });");
        assertThat(curveLabels).containsExactly("main", "exp-a", "exp-b");
        List<Object> steps = js("return mlvCharts['curve:train.loss'].data[0];");
        assertThat(steps).containsExactly(1L, 2L, 3L, 4L);
        List<List<Number>> curves = js("return mlvCharts['curve:train.loss'].data.slice(1);");
        assertThat(curves.get(0).get(1).doubleValue()).isCloseTo(0.05, within(1e-12));
        assertThat(curves.get(1).get(0).doubleValue()).isCloseTo(0.2, within(1e-12));
        assertThat(curves.get(2).get(2).doubleValue()).isCloseTo(0.1, within(1e-12));
        assertThat(curves.get(2).get(3)).isNull();
        // parameters: lr differs, batch does not, and 'only differing' hides batch
        assertThat(find(By.cssSelector("#params tr.changed td")).getText()).isEqualTo("lr");
        find(By.id("only-changed")).click();
        assertThat(find(By.cssSelector("#params tr.same")).isDisplayed()).isFalse();
        assertThat(find(By.cssSelector("table.files")).getText()).contains("models/model.bin");
        screenshot("compare");
    }

    @Test
    void environmentTimelineListsThePromotionsInOrder() throws Exception {
        go(open, "ui/environments");
        List<Object> numbers = js("return Array.from(document.querySelectorAll(\"section[data-env='prod'] table.timeline tbody tr\"))"
                + ".map(function (r) { return r.getAttribute('data-number'); });");
        assertThat(numbers).containsExactly("4", "3", "2", "1");
        List<WebElement> rows = driver.findElements(By.cssSelector("section[data-env='prod'] table.timeline tbody tr"));
        assertThat(rows.get(0).getText()).contains("rollback to #2");
        assertThat(rows.get(1).getText()).contains("from exp-b").contains("accuracy >= 0.85");
        assertThat(rows.get(3).getText()).contains("from main");
        assertThat(find(By.cssSelector("section[data-env='prod'] .serving")).getText()).contains("Serving now")
                .contains("rollback #4");
        screenshot("environments");
    }

    @Test
    void monitoringChartsTheChosenColumnsMeanPerRecordCommit() throws Exception {
        go(open, "ui/monitoring");
        // prod holds one record commit of 200 rows (request 0..199, converted 1 for the first 80), recorded after rollback #4
        assertThat(js("return mlvCharts['monitor:prod'].series[1].label;").toString()).isEqualTo("mean of request");
        List<List<Number>> before = js("return mlvCharts['monitor:prod'].data.slice(1);");
        assertThat(before).hasSize(1);
        assertThat(before.get(0).get(0).doubleValue()).isCloseTo(99.5, within(1e-12));
        find(By.cssSelector("section[data-env='prod'] select[name='column'] option[value='converted']")).click();
        find(By.cssSelector("section[data-env='prod'] form button")).click();
        assertThat(urlOnceIt(u -> u.contains("column="))).contains("column=converted");
        List<List<Number>> after = js("return mlvCharts['monitor:prod'].data.slice(1);");
        assertThat(after.get(0).get(0).doubleValue()).isCloseTo(0.4, within(1e-12));
        WebElement row = find(By.cssSelector("section[data-env='prod'] table.records tbody tr"));
        assertThat(row.getText()).contains("200").contains("0.4").contains("rollback #4");
        screenshot("monitoring");
    }

    @Test
    void abTestShowsBothArmsAndTheirIntervals() throws Exception {
        go(open, "ui/ab");
        find(By.linkText("t")).click();
        assertThat(urlOnceIt(u -> u.contains("test=t"))).contains("/ui/ab?test=t");
        find(By.cssSelector("#arms tbody tr"));
        List<WebElement> arms = driver.findElements(By.cssSelector("#arms tbody tr"));
        assertThat(arms).extracting(r -> r.getAttribute("data-arm")).containsExactly("A", "B");
        assertThat(arms.get(0).getText()).contains("prod").contains("200").contains("0.4");
        assertThat(arms.get(1).getText()).contains("exp-a").contains("200").contains("0.5");
        List<Number> means = js("return mlvCharts.intervals.data[1];");
        assertThat(means).hasSize(2);
        assertThat(means.get(0).doubleValue()).isCloseTo(0.4, within(1e-9));
        assertThat(means.get(1).doubleValue()).isCloseTo(0.5, within(1e-9));
        List<Object> lows = js("return mlvCharts.intervals.data[2];");
        // 0.4 − 1.96·√(0.4·0.6/199·200/200): the sample's interval, below the mean
        assertThat(((Number) lows.get(0)).doubleValue()).isBetween(0.33, 0.34);
        assertThat(find(By.id("verdict")).getText()).contains("B is higher than A").contains("significant");
        screenshot("ab");
    }

    @Test
    void withATokenPagesAreRefusedUntilTheBrowserSignsIn() throws Exception {
        go(locked, "ui/environments");
        assertThat(driver.findElements(By.cssSelector("section[data-env]"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain("exp-a");
        screenshot("sign-in");
        find(By.id("token")).sendKeys("wrong");
        find(By.id("sign-in")).click();
        assertThat(find(By.id("login-error")).getText()).contains("not the server's token");
        find(By.id("token")).sendKeys(TOKEN);
        find(By.id("sign-in")).click();
        assertThat(urlOnceIt(u -> !u.endsWith("/ui/login"))).endsWith("/ui/environments");
        assertThat(driver.findElements(By.cssSelector("section[data-env='prod']"))).hasSize(1);
        // the cookie is out of scripts' reach
        assertThat((String) js("return document.cookie;")).doesNotContain(SignIn.COOKIE);
        go(locked, "ui/files?ref=exp-a&path=models");
        assertThat(find(By.id("files")).getText()).contains("model.bin");
        screenshot("files");
    }

    @Test
    void aBranchNamedLikeMarkupIsShownAsTextAndRunsNothing() throws Exception {
        go(open, "ui/");
        assertNoAlert();
        List<Object> names = js("return Array.from(document.querySelectorAll('#experiments td.name a')).map(function (a) { return a.textContent; });");
        assertThat(names).contains(WebFixture.HOSTILE, WebFixture.HOSTILE_VALID);
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        // chart legends and files pages too
        go(open, "ui/compare?b=" + Html.query(WebFixture.HOSTILE) + "&b=" + Html.query(WebFixture.HOSTILE_VALID) + "&b=main");
        assertNoAlert();
        List<Object> labels = js("return mlvCharts.accuracy.series.slice(1).map(function (s) { return s.label; });");
        assertThat(labels).containsExactly(WebFixture.HOSTILE, WebFixture.HOSTILE_VALID, "main");
        assertThat(find(By.cssSelector(".u-legend")).getText()).contains(WebFixture.HOSTILE);
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        go(open, "ui/files?ref=" + Html.query(WebFixture.HOSTILE_VALID));
        assertNoAlert();
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        assertThat(find(By.cssSelector(".crumbs")).getText()).contains(WebFixture.HOSTILE_VALID);
    }
}
