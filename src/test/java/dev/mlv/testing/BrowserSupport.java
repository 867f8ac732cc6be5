package dev.mlv.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Where Chromium and its driver are: Debian's {@code chromium} and {@code chromium-driver}
 * packages. Browser tests skip where either is absent, except under
 * {@code MLV_TEST_REQUIRE_BROWSER} (set by .ci/run, which installs them), where their absence
 * fails the test. The system's chromedriver is used, never one downloaded at run time.
 */
public final class BrowserSupport {
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private BrowserSupport() {
    }

    /** The Chromium executable, or null. */
    public static Path browser() {
        return first(BROWSERS);
    }

    /** The chromedriver executable, or null. */
    public static Path driver() {
        return first(DRIVERS);
    }

    /** Skips (or, in CI, fails) unless Chromium and chromedriver are installed. */
    public static void assumeAvailable() {
        String missing = browser() == null ? "chromium (apt-get install chromium)"
                : driver() == null ? "chromedriver (apt-get install chromium-driver)" : null;
        if (System.getenv("MLV_TEST_REQUIRE_BROWSER") != null && missing != null) {
            throw new AssertionError("a browser is required here (MLV_TEST_REQUIRE_BROWSER, set by .ci/run) but " + missing + " is missing");
        }
        Assumptions.assumeTrue(missing == null, () -> "no headless browser here: " + missing + " is missing; browser tests skipped");
    }

    private static Path first(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }
}
