package dev.mlv.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether FUSE tests can run here: they skip where /dev/fuse or libfuse 2 is absent, except
 * under {@code MLV_TEST_REQUIRE_FUSE} (set by .ci/run, which installs them), where their absence
 * fails the test.
 */
public final class FuseSupport {
    /** Library directories where Debian and others put libfuse.so.2. */
    private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib");

    private FuseSupport() {
    }

    /** Skips (or, in CI, fails) unless /dev/fuse and libfuse 2 are present. */
    public static void assumeAvailable() {
        boolean device = Files.exists(Path.of("/dev/fuse"));
        boolean library = LIB_DIRS.stream().anyMatch(d -> Files.exists(Path.of(d, "libfuse.so.2")));
        String missing = !device ? "/dev/fuse" : !library ? "libfuse.so.2 (apt-get install libfuse2)" : null;
        if (System.getenv("MLV_TEST_REQUIRE_FUSE") != null && missing != null) {
            throw new AssertionError("FUSE is required here (MLV_TEST_REQUIRE_FUSE, set by .ci/run) but " + missing + " is missing");
        }
        Assumptions.assumeTrue(missing == null, () -> "no FUSE here: " + missing + " is missing");
    }
}
