package dev.syncline.adapters.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.syncline.adapters.config.Config;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Sets logback up in code, found through {@code ServiceLoader} before any XML configuration is looked for: every
 * event as one {@link JsonLineEncoder} line on standard output (CloudWatch Logs on Lambda), at the level
 * {@value Config#LOG_LEVEL} asks for. No XML is parsed at cold start.
 *
 * <p>A process may set levels itself with system properties: {@value #LEVEL_PROPERTY} for every logger, and
 * {@value #LEVEL_PROPERTY}{@code .<logger name>} for one logger and those under it (the benchmarks quiet the
 * emulators this way).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {

    public static final String LEVEL_PROPERTY = "syncline.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        // System.out as it is at each write: the local stack and the tests move it after the first line.
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("json");
        console.setEncoder(encoder);
        console.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        root.setLevel(Level.toLevel(rootLevel(), Level.INFO));
        // The SDK logs at info about things the function cannot act on.
        context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
        for (Map.Entry<Object, Object> property : System.getProperties().entrySet()) {
            String name = property.getKey().toString();
            if (name.startsWith(LEVEL_PROPERTY + ".")) {
                context.getLogger(name.substring(LEVEL_PROPERTY.length() + 1))
                        .setLevel(Level.toLevel(property.getValue().toString(), Level.INFO));
            }
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String rootLevel() {
        String set = System.getProperty(LEVEL_PROPERTY);
        if (set != null) {
            return set.trim().toLowerCase(Locale.ROOT);
        }
        try {
            return Config.logLevel(System.getenv());
        } catch (RuntimeException invalid) {
            // FunctionLogging fails the function's init with the message that says what to fix.
            return "info";
        }
    }
}
