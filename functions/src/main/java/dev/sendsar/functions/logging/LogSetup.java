package dev.sendsar.functions.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * Logging set up in code rather than from {@code logback.xml}: Logback's XML configurator loads some 500 classes at
 * every cold start, this loads a handful. One line per event to stdout (what Lambda sends to CloudWatch), INFO and
 * up, chatty libraries at WARN. Found by Logback through {@code META-INF/services}.
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
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
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
}
