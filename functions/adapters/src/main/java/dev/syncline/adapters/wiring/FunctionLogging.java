package dev.syncline.adapters.wiring;

import dev.syncline.adapters.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The functions' loggers, at the level {@value Config#LOG_LEVEL} asks for. slf4j-simple reads its level once, when
 * its first logger is made, so every function class takes its logger from here: the first call sets the level from
 * the environment, unless the process set one itself (the local stack and the tests may).
 */
public final class FunctionLogging {

    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    static {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, Config.logLevel(System.getenv()));
        }
    }

    private FunctionLogging() {
    }

    public static Logger logger(Class<?> owner) {
        return LoggerFactory.getLogger(owner);
    }
}
