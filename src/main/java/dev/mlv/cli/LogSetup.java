package dev.mlv.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's logging: stderr at WARN, raised by {@code -v} (INFO) and {@code -vv} (DEBUG)
 * or more (TRACE). Only the executable's entry points install it ({@link Main}, and
 * {@link CdsTraining} which trains the start-up archive for it): mlv used as a library logs
 * through SLF4J and leaves the binding and its configuration to its host, so nothing here is
 * registered as a service.
 *
 * <p>Start-up: installing only names {@link Provider} as SLF4J's provider, so Logback starts when
 * something first logs and a command that never does ({@code --version}) never loads it; and the
 * provider configures Logback in code, skipping Logback's search for configuration files and
 * configurators. In code instead of XML saves about 150 ms, and a fixed layout instead of a parsed
 * pattern (whose converters pull in colour, date and formatter classes) about 50 ms more.
 */
public final class LogSetup {
    /** The appender's name; its presence on the root logger marks logging as the command line's. */
    static final String APPENDER = "mlv-stderr";

    private LogSetup() {
    }

    /** Makes SLF4J bind to the command line's Logback set-up. Call before anything logs. */
    static void install() {
        System.setProperty("slf4j.provider", Provider.class.getName());
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            // SLF4J reports an explicitly named provider on stderr at INFO; keep its warnings only
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    /** Logback configured for the command line: the SLF4J provider {@link #install} names. */
    public static final class Provider implements SLF4JServiceProvider {
        private final LoggerContext context = new LoggerContext();
        private final IMarkerFactory markers = new BasicMarkerFactory();
        private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

        @Override
        public void initialize() {
            context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
            context.setMDCAdapter(mdc);
            configure(context);
            context.start();
        }

        @Override
        public ILoggerFactory getLoggerFactory() {
            return context;
        }

        @Override
        public IMarkerFactory getMarkerFactory() {
            return markers;
        }

        @Override
        public MDCAdapter getMDCAdapter() {
            return mdc;
        }

        @Override
        public String getRequestedApiVersion() {
            return "2.0.99"; // the slf4j-api 2.0 line, as Logback's own provider requests
        }
    }

    /** Logs to stderr at WARN, one line per event ({@link LineLayout}). */
    static void configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setTarget("System.err");
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }

    /** {@code mlv: LEVEL Logger: message}, and the stack trace of an attached exception. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            String logger = event.getLoggerName();
            StringBuilder line = new StringBuilder(128).append("mlv: ").append(event.getLevel()).append(' ')
                    .append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
                    .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }

    /**
     * Sets the log level for {@code -v} counts: 0 WARN, 1 INFO, 2 DEBUG, 3+ TRACE; only where
     * logging is the command line's. In-process runs (tests, embedders) keep the levels their own
     * configuration sets.
     */
    static void verbosity(int level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            verbosity(context, level);
        }
    }

    static void verbosity(LoggerContext context, int level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) == null) {
            return;
        }
        root.setLevel(switch (level) {
            case 0 -> Level.WARN;
            case 1 -> Level.INFO;
            case 2 -> Level.DEBUG;
            default -> Level.TRACE;
        });
    }
}
