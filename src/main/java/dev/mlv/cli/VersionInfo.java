package dev.mlv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build: from the jar's manifest ({@code Implementation-Version}, which the
 * class loader has already read to define this package, so asking costs nothing), or else (classes
 * run from a directory, as in tests) from a resource Maven fills in.
 */
final class VersionInfo {
    private VersionInfo() {
    }

    static String version() {
        String fromManifest = VersionInfo.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
