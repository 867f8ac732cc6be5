package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    private static String layout(Level level, String message, Throwable thrown, Object... args) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.mlv.store.PackCatalog"), level, message,
                thrown, args);
        LogSetup.LineLayout layout = new LogSetup.LineLayout();
        layout.setContext(context);
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void aLogLineNamesTheLevelTheClassAndTheFormattedMessage() {
        assertThat(layout(Level.WARN, "skipping unreadable pack index: {}", null, "index/ab.idx is truncated"))
                .isEqualTo("mlv: WARN PackCatalog: skipping unreadable pack index: index/ab.idx is truncated"
                        + System.lineSeparator());
    }

    @Test
    void anAttachedExceptionFollowsWithItsStackTrace() {
        String line = layout(Level.DEBUG, "retrying", new java.io.IOException("connection reset"));
        assertThat(line).startsWith("mlv: DEBUG PackCatalog: retrying" + System.lineSeparator())
                .contains("java.io.IOException: connection reset").contains("at dev.mlv.cli.LogSetupTest");
    }
}
