package dev.syncline.adapters.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event, on one line, in the format docs/operations.md describes ("Logs"):
 * {@code timestamp}, {@code level}, {@code logger}, {@code event}, the invocation's ids from the MDC
 * ({@code aws_request_id}, {@code run_id}, {@code installation_id}, {@code chunk}, ...), the line's own fields,
 * any text left as {@code message}, and an exception's {@code stack_trace} as one field.
 *
 * <p>Syncline's own lines say what happened as {@code key=value} pairs in the message pattern:
 * {@code LOG.warn("event=notification_failed run_id={} outcome={}", run, outcome)}. Each {@code key={}} becomes a
 * field holding its argument (numbers stay numbers, {@code key="{}"} is the same), so that a value with spaces
 * stays one field; {@code key=literal} becomes a string field; other words stay in {@code message}. Pairs added
 * with slf4j's fluent {@code addKeyValue} are fields too. Lines of other libraries keep their message as it is.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String OWN_LOGGERS = "dev.syncline.";
    private static final List<String> ID_ORDER = List.of("aws_request_id", "sqs_message_id", "run_id", "installation_id", "app_id", "phase", "chunk");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,9}");
    /** Written by the encoder itself: a field of the same name stays in the message instead. */
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "message", "stack_trace");

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> fields = ids(event.getMDCPropertyMap());
        String message = event.getLoggerName().startsWith(OWN_LOGGERS)
                ? fields(event.getMessage(), event.getArgumentArray(), fields)
                : event.getFormattedMessage();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (!RESERVED.contains(pair.key)) {
                    fields.put(pair.key, pair.value);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            Object name = fields.remove("event");
            if (name != null) {
                json.writeStringField("event", name.toString());
            }
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                json.writeFieldName(field.getKey());
                write(json, field.getValue());
            }
            if (message != null && !message.isEmpty()) {
                json.writeStringField("message", message);
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a log line to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** The invocation's ids first, in a fixed order; a whole number (a chunk) as a number, as the lines write it. */
    private static Map<String, Object> ids(Map<String, String> mdc) {
        Map<String, Object> ids = new LinkedHashMap<>();
        for (String key : ID_ORDER) {
            String value = mdc.get(key);
            if (value != null) {
                ids.put(key, value);
            }
        }
        mdc.forEach(ids::putIfAbsent);
        ids.replaceAll((key, value) -> value instanceof String text && WHOLE_NUMBER.matcher(text).matches()
                ? Integer.valueOf(text) : value);
        return ids;
    }

    /**
     * Moves the {@code key=value} pairs of {@code pattern} into {@code fields}, {@code {}} taking the arguments in
     * order; returns the words left, arguments filled in.
     */
    static String fields(String pattern, Object[] arguments, Map<String, Object> fields) {
        if (pattern == null) {
            return null;
        }
        Object[] args = arguments == null ? new Object[0] : arguments;
        int[] next = {0};
        StringBuilder rest = new StringBuilder();
        for (String word : pattern.split(" ")) {
            int equals = word.indexOf('=');
            String key = equals > 0 ? word.substring(0, equals) : null;
            if (key != null && KEY.matcher(key).matches() && !RESERVED.contains(key)) {
                String value = unquoted(word.substring(equals + 1));
                if (value.equals("{}") && next[0] < args.length) {
                    fields.put(key, args[next[0]++]);
                } else {
                    fields.put(key, fill(value, args, next));
                }
            } else if (!word.isEmpty()) {
                if (!rest.isEmpty()) {
                    rest.append(' ');
                }
                rest.append(fill(word, args, next));
            }
        }
        return rest.toString();
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** {@code text} with each {@code {}} replaced by the next argument, as slf4j formats a message. */
    private static String fill(String text, Object[] args, int[] next) {
        if (!text.contains("{}")) {
            return text;
        }
        StringBuilder filled = new StringBuilder();
        int from = 0;
        int at;
        while ((at = text.indexOf("{}", from)) >= 0 && next[0] < args.length) {
            filled.append(text, from, at).append(args[next[0]++]);
            from = at + 2;
        }
        return filled.append(text, from, text.length()).toString();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Boolean flag -> json.writeBoolean(flag);
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Short number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case Double number when Double.isFinite(number) -> json.writeNumber(number);
            case Float number when Float.isFinite(number) -> json.writeNumber(number);
            default -> json.writeString(value.toString());
        }
    }
}
