package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
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

    @Test
    void theCommandLinesProviderLogsToStderrAtWarnInItsOwnLayout() {
        LogSetup.Provider provider = new LogSetup.Provider();
        provider.initialize();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender(LogSetup.APPENDER)).isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.err");
            assertThat(appender.isStarted()).isTrue();
        });
        assertThat(context.getLogger("dev.mlv.store.PackCatalog").isInfoEnabled()).isFalse();
        assertThat(provider.getMDCAdapter()).isNotNull();
        context.stop();
    }

    @Test
    void verbosityRaisesTheCommandLinesLevelAndLeavesAnyOtherConfigurationAlone() {
        LoggerContext cli = new LoggerContext();
        LogSetup.configure(cli);
        Logger root = cli.getLogger(Logger.ROOT_LOGGER_NAME);
        LogSetup.verbosity(cli, 1);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        LogSetup.verbosity(cli, 2);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        LogSetup.verbosity(cli, 5);
        assertThat(root.getLevel()).isEqualTo(Level.TRACE);
        LogSetup.verbosity(cli, 0);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);

        // A host's (or a test's) Logback: mlv run in-process with -vv does not touch its levels.
        LoggerContext host = new LoggerContext();
        ConsoleAppender<ILoggingEvent> hostAppender = new ConsoleAppender<>();
        hostAppender.setName("host");
        host.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(hostAppender);
        host.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        LogSetup.verbosity(host, 2);
        assertThat(host.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        LogSetup.verbosity(host, 0);
        assertThat(host.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }
}
