package dev.sendsar.functions.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Logging set up in code rather than from {@code logback.xml}: Logback's XML configurator loads some 500 classes at
 * every cold start, this loads a handful. One line per event to stdout (what Lambda sends to CloudWatch), INFO and
 * up, chatty libraries at WARN. Found by Logback through {@code META-INF/services}. The line is written by {@link Line}
 * rather than a {@code PatternLayout}, whose pattern parser and converters are another ~100 classes per cold start.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public class LogSetup extends ContextAwareBase implements Configurator {
    /** Libraries that say too much at INFO; the local stack's emulators share the functions' classpath. */
    private static final Map<String, Level> LEVELS = Map.of(
            "com.zaxxer.hikari", Level.WARN,
            "io.micronaut", Level.WARN,
            "org.elasticmq", Level.WARN,
            "org.apache.pekko", Level.ERROR,
            "io.zonky", Level.WARN,
            "org.eclipse.jetty", Level.WARN,
            "com.amazonaws", Level.WARN,
            "org.gaul", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Line line = new Line();
        line.setContext(context);
        line.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(line);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        // one line per request in the local runtime; SENDSAR_ACCESS_LOG=OFF (system property or env) silences it
        String access = System.getProperty("SENDSAR_ACCESS_LOG", System.getenv().getOrDefault("SENDSAR_ACCESS_LOG", "INFO"));
        context.getLogger("dev.sendsar.access").setLevel(Level.toLevel(access, Level.INFO));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * What the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n} wrote: time, level, the logger's name
     * shortened to about 36 characters, the message, then the stack trace of a logged exception.
     */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
        private final TargetLengthBasedClassNameAbbreviator loggerName = new TargetLengthBasedClassNameAbbreviator(36);

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
            String level = event.getLevel().toString();
            line.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ')
                    .append(loggerName.abbreviate(event.getLoggerName())).append(" - ").append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }
}
