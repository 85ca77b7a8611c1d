package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Collection;
import java.util.Objects;

/**
 * The one JSON mapper of Syncline, configured once: snake_case field names, lenient about fields it does not
 * know (a newer client or a richer manifest must not break a request), strict about everything else (no
 * duplicate keys, no trailing garbage, no silent coercion of a number into a string), {@code null}s written
 * out so that every response has the same shape. Times travel as ISO-8601 strings the callers format.
 *
 * <p>Thread-safe; build one per function at init.
 */
public final class JsonCodec {

    private final JsonMapper mapper;

    private JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public static JsonCodec create() {
        JsonMapper mapper = JsonMapper.builder()
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
