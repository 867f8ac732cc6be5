package dev.mlv.embed;

import dev.mlv.core.MlvRepository;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application that embeds mlv as docs/api.md shows: it reads a file from a branch and logs
 * through its own Logback configuration. Run by {@link EmbeddedLoggingTest} in a JVM of its own.
 * Arguments: the repository, the ref, the path.
 */
public final class HostApp {
    private static final Logger LOG = LoggerFactory.getLogger("host");

    private HostApp() {
    }

    public static void main(String[] args) throws Exception {
        try (MlvRepository repo = MlvRepository.open(Path.of(args[0]));
             InputStream in = repo.open(args[1], args[2])) {
            long n = in.transferTo(OutputStream.nullOutputStream());
            LOG.info("read {} bytes of {}", n, args[2]);
        }
    }
}
