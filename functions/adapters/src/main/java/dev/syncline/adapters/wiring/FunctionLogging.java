package dev.syncline.adapters.wiring;

import com.amazonaws.services.lambda.runtime.Context;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.logback.JsonLineEncoder;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The functions' loggers and the ids every line of an invocation carries. Lines are JSON (see
 * {@link JsonLineEncoder}, configured by {@code adapters.logback.JsonLogConfigurator}) at the level {@value
 * Config#LOG_LEVEL} asks for; a line says what happened as {@code key=value} pairs:
 * {@code LOG.warn("event=chunk_given_up run_id={} chunk={} reason={}", run, chunk, reason)}.
 *
 * <p>Each handler opens an {@link #invocation} for each Lambda invocation, and tags each {@link #message} it handles
 * with the ids it knows ({@link #run}): every line written on that thread carries them, until the next message or the
 * end of the invocation.
 */
public final class FunctionLogging {

    /** Lambda's id of the invocation ({@code Context.getAwsRequestId()}). */
    public static final String AWS_REQUEST_ID = "aws_request_id";
    public static final String RUN_ID = "run_id";
    public static final String INSTALLATION_ID = "installation_id";
    public static final String PHASE = "phase";
    public static final String CHUNK = "chunk";
    public static final String SQS_MESSAGE_ID = "sqs_message_id";
    private static final List<String> MESSAGE_IDS = List.of(SQS_MESSAGE_ID, RUN_ID, INSTALLATION_ID, PHASE, CHUNK);

    static {
        // Fails the function's init, naming the variable, when SYNCLINE_LOG_LEVEL is not a level.
        Config.logLevel(System.getenv());
    }

    private FunctionLogging() {
    }

    public static Logger logger(Class<?> owner) {
        return LoggerFactory.getLogger(owner);
    }

    /**
     * Tags every line of this thread with Lambda's request id until closed; closing forgets every id set since.
     *
     * @param context the invocation's, or null where there is none (tests)
     */
    public static Ids invocation(Context context) {
        MDC.clear();
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(AWS_REQUEST_ID, context.getAwsRequestId());
        }
        return MDC::clear;
    }

    /**
     * Tags the lines that follow with the SQS message being handled, forgetting the ids of the one before; the
     * invocation's request id stays.
     */
    public static void message(String sqsMessageId) {
        for (String key : MESSAGE_IDS) {
            MDC.remove(key);
        }
        put(SQS_MESSAGE_ID, sqsMessageId);
    }

    /**
     * Tags the lines that follow with a run, and what else of it is known (null parts are left out), until the next
     * {@link #message} or the end of the invocation.
     */
    public static void run(UUID runId, UUID installationId, String phase, Integer chunk) {
        put(RUN_ID, runId);
        put(INSTALLATION_ID, installationId);
        put(PHASE, phase);
        put(CHUNK, chunk);
    }

    /**
     * {@code work} tagged with the ids this thread's lines carry now, wherever it runs: for work a function hands to
     * another thread. The thread's own ids are back once it ran.
     */
    public static Runnable carried(Runnable work) {
        Map<String, String> ids = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            setIds(ids);
            try {
                work.run();
            } finally {
                setIds(before);
            }
        };
    }

    private static void setIds(Map<String, String> ids) {
        if (ids == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(ids);
        }
    }

    private static void put(String key, Object value) {
        if (value != null) {
            MDC.put(key, value.toString());
        }
    }

    /** Ids on this thread's lines, until closed. */
    @FunctionalInterface
    public interface Ids extends AutoCloseable {
        @Override
        void close();
    }
}
