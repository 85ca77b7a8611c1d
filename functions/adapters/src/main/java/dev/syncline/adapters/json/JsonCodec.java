package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.syncline.core.plan.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON mapper of Syncline, configured once: snake_case field names, lenient about fields it does not
 * know (a newer client or a richer manifest must not break a request), strict about everything else (no
 * duplicate keys, no trailing garbage, no silent coercion of a number into a string), {@code null}s written
 * out so that every response has the same shape. Times travel as ISO-8601 strings the callers format.
 *
 * <p>Numbers are exact, for everything that carries PIM or App data (snapshot values, child quantities,
 * {@code resource_customs}): a number read into an untyped place (a map, a tree) is a {@link BigDecimal} with the
 * digits it was written with, or an integer type when it has no fraction, never a {@code double}; a
 * {@link BigDecimal} is written as it is, so {@code 10} stays {@code 10} (never {@code 1E+1}) and {@code 1.50}
 * stays {@code 1.50}. Comparing values may normalize; reading and writing them never does.
 *
 * <p>Thread-safe; build one per function at init.
 */
public final class JsonCodec {

    /** Beyond this many digits either side of the point a number is written with an exponent, never padded out. */
    static final int PLAIN_SCALE_LIMIT = 100;

    private final JsonMapper mapper;
    /** Reads one value in the middle of a document: what follows it is the caller's to read. */
    private final ObjectReader values;

    private JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
        this.values = mapper.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static JsonCodec create() {
        // Buffers recycled through one shared pool, not one per thread: parsers and generators are made on virtual
        // threads (an App request each), where a thread's own pool is never used twice and every parser and generator
        // allocated its buffers afresh (a sixteenth of what a worker allocated).
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
        JsonMapper mapper = exactNumbers(JsonMapper.builder(factory))
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "version": 1 is a mistake to report, not a "1" to guess.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return new JsonCodec(mapper);
    }

    /**
     * Sets up {@code builder} to read and write numbers exactly: the one number policy of every mapper that carries
     * PIM or App data.
     */
    static <B extends JsonMapper.Builder> B exactNumbers(B builder) {
        SimpleModule numbers = new SimpleModule("exact-numbers");
        numbers.addSerializer(BigDecimal.class, new StdSerializer<>(BigDecimal.class) {
            @Override
            public void serialize(BigDecimal number, JsonGenerator json, SerializerProvider provider) throws IOException {
                writeNumber(json, number);
            }
        });
        builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                // Numbers inside trees, which bypass serializers, plainly too (Jackson refuses beyond 9,999 zeros).
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .addModule(numbers);
        return builder;
    }

    /**
     * Writes {@code number} with its own digits: plainly ({@code 10}, {@code 1.50}, {@code 0.0000001}), or with an
     * exponent only when plain would pad it out by more than a hundred zeros ({@code 1E+400}).
     */
    static void writeNumber(JsonGenerator json, BigDecimal number) throws IOException {
        json.writeNumber(Math.abs(number.scale()) <= PLAIN_SCALE_LIMIT ? number.toPlainString() : number.toString());
    }

    /**
     * Reads {@code json} as a {@code type}.
     *
     * @throws MalformedJsonException saying what is wrong and where, when {@code json} is not JSON or not of
     *     the shape {@code type} needs
     */
    public <T> T read(String json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (json == null || json.isBlank()) {
            throw new MalformedJsonException("the body is empty: send " + expected(type), null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(e, type, null);
        }
        return bind(tree, type);
    }

    // Parsing and binding apart: a binding error can then say what the offending value is.
    private <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw malformed(e, type, tree);
        }
    }

    /**
     * Reads {@code json} as a tree, for JSON the engine keeps without interpreting.
     *
     * @throws MalformedJsonException when {@code json} is not JSON
     */
    public JsonNode readTree(String json) {
        return read(json, JsonNode.class);
    }

    /** Writes {@code value} (a record, a map, a tree) as JSON text. */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Only a value the mapper cannot represent gets here: a bug in the caller.
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Writes {@code value} as UTF-8 JSON. */
    public byte[] writeBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Writes {@code value} as UTF-8 JSON to {@code target}, leaving it open. */
    public void write(OutputStream target, Object value) {
        try {
            mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(target, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A streaming generator over {@code target}, configured as {@link #write} writes: for output written often
     * enough that building a tree of maps first would cost more than the writing. Closing it leaves {@code target}
     * open; successive root values follow one another with nothing in between.
     */
    public JsonGenerator generator(OutputStream target) {
        try {
            JsonGenerator json = mapper.createGenerator(Objects.requireNonNull(target, "target"));
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a plain value as {@link #write} would, without looking up a serializer per map entry: strings, exact
     * numbers, booleans, nulls, maps with string keys (in their own order) and collections of them. Anything else goes through
     * the generator's mapper.
     */
    public static void writePlain(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case BigDecimal number -> writeNumber(json, number);
            case Boolean bool -> json.writeBoolean(bool);
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Payload payload -> {
                // The planner's payloads, millions per plan: their fields straight from the arrays.
                json.writeStartObject();
                for (int i = 0; i < payload.size(); i++) {
                    json.writeFieldName(payload.key(i));
                    writePlain(json, payload.value(i));
                }
                json.writeEndObject();
            }
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.writeFieldName(String.valueOf(entry.getKey()));
                    writePlain(json, entry.getValue());
                }
                json.writeEndObject();
            }
            case Collection<?> items -> {
                json.writeStartArray();
                for (Object item : items) {
                    writePlain(json, item);
                }
                json.writeEndArray();
            }
            default -> json.writeObject(value);
        }
    }

    /**
     * Reads the UTF-8 JSON of {@code source} as a {@code type}, leaving it open.
     *
     * @throws MalformedJsonException when it is not JSON of the shape {@code type} needs
     */
    public <T> T read(InputStream source, Class<T> type) {
        JsonNode tree;
        try {
            tree = mapper.reader().without(JsonParser.Feature.AUTO_CLOSE_SOURCE).readTree(source);
        } catch (JsonProcessingException e) {
            throw malformed(e, type, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new MalformedJsonException("the body is empty: send " + expected(type), null);
        }
        return bind(tree, type);
    }

    /**
     * A streaming parser over the UTF-8 JSON in {@code json}, configured as {@link #read} reads, whose locations are
     * byte offsets into {@code json}: for documents too large or too often read to build a tree of first.
     */
    public JsonParser parser(byte[] json) {
        try {
            return mapper.createParser(Objects.requireNonNull(json, "json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the value that starts at {@code parser}'s current token as plain Java (maps, lists, strings, booleans,
     * nulls, exact numbers: {@link BigDecimal} or an integer type); the parser's next token is the one after it.
     */
    public Object readValue(JsonParser parser) throws IOException {
        return values.readValue(parser);
    }

    /** Converts between shapes (a tree to a record, a record to a tree) without going through text. */
    public <T> T convert(Object value, Class<T> type) {
        return bind(mapper.valueToTree(value), type);
    }

    private static MalformedJsonException malformed(JacksonException e, Class<?> type, JsonNode tree) {
        if (e instanceof JsonParseException parse) {
            return new MalformedJsonException("the body is not valid JSON" + at(parse.getLocation()) + ": "
                    + parse.getOriginalMessage(), e);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            String found = found(mismatch, tree);
            if (mismatch.getTargetType() == null || path.isEmpty() && found.isEmpty()) {
                return new MalformedJsonException("the body is not " + expected(type), e);
            }
            String subject = path.isEmpty() ? "the body" : path;
            return new MalformedJsonException(subject + " must be " + expected(mismatch.getTargetType())
                    + (found.isEmpty() ? "" : ", got " + found), e);
        }
        if (e instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
            return new MalformedJsonException(path(mapping) + " is not valid: " + mapping.getOriginalMessage(), e);
        }
        return new MalformedJsonException("the body is not valid JSON" + at(e.getLocation()) + ": "
                + e.getOriginalMessage(), e);
    }

    // "features[2]", "configuration_schema": the path as the sender wrote it.
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    // The value the path points at in the tree, described in JSON's terms.
    private static String found(JsonMappingException e, JsonNode tree) {
        JsonNode node = tree;
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (node == null) {
                return "";
            }
            node = reference.getFieldName() != null
                    ? node.get(reference.getFieldName())
                    : node.get(reference.getIndex());
        }
        if (node == null) {
            return "";
        }
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case MISSING -> "";
        };
    }

    private static String expected(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        return "a JSON object";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
