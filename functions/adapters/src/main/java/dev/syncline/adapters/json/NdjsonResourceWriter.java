package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes resources in Syncline's snapshot format (docs/snapshot-format.md), one canonical line each: every
 * field present, object keys sorted, numbers with the digits the PIM wrote ({@link JsonCodec#writeNumber}),
 * UTF-8 text unescaped. Equal resources give equal lines, and {@link NdjsonSnapshotReader} reads a line back as
 * an equal resource, which is what delivered-state shards and spill files rely on.
 *
 * <p>Not thread-safe. Closing the writer finishes the gzip stream, if any, and closes the target.
 */
public final class NdjsonResourceWriter implements AutoCloseable, Flushable {

    // Emoji and other characters beyond the BMP as their four UTF-8 bytes, not as two escaped UTF-16 halves.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final JsonGenerator json;
    private final boolean owned;
    private long written;

    private NdjsonResourceWriter(JsonGenerator json, boolean owned) {
        this.json = json;
        this.owned = owned;
    }

    private static NdjsonResourceWriter lines(OutputStream target) {
        JsonGenerator json;
        try {
            json = FACTORY.createGenerator(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Each line ends with its own line break, written after the object; no separator before the next one.
        json.setRootValueSeparator(null);
        return new NdjsonResourceWriter(json, true);
    }

    /** A writer of plain NDJSON to {@code target}. */
    public static NdjsonResourceWriter plain(OutputStream target) {
        return lines(Objects.requireNonNull(target, "target"));
    }

    /** A writer of gzip-compressed NDJSON to {@code target}. */
    public static NdjsonResourceWriter gzip(OutputStream target) {
        try {
            return lines(new GZIPOutputStream(Objects.requireNonNull(target, "target"), GZIP_BUFFER_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A writer of resources as values of a larger document that {@code json} writes (a plan chunk's entries), with
     * {@link #writeValue}; flushing or closing it leaves {@code json} alone. The object is the line's, with the
     * document generator's escaping.
     */
    public static NdjsonResourceWriter within(JsonGenerator json) {
        return new NdjsonResourceWriter(Objects.requireNonNull(json, "json"), false);
    }

    /** The canonical line of one resource, without its line break. */
    public static String line(Resource resource) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (NdjsonResourceWriter writer = plain(bytes)) {
            writer.write(resource);
        }
        return bytes.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    /**
     * Writes one resource as one line.
     *
     * @throws IllegalArgumentException when a product value is not a String, number, Boolean, List, Map or null
     */
    public void write(Resource resource) {
        writeValue(resource);
        try {
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one resource as the object of its line, without the line break: the next value of the generator's
     * document.
     *
     * @throws IllegalArgumentException when a product value is not a String, number, Boolean, List, Map or null
     */
    public void writeValue(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        try {
            switch (resource) {
                case Attribute attribute -> attribute(attribute);
                case Category category -> category(category);
                case Product product -> product(product);
            }
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many resources were written. */
    public long written() {
        return written;
    }

    @Override
    public void flush() {
        if (!owned) {
            return;
        }
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Fields in sorted order, by hand: the order is the format's canonical form, not a serializer setting.

    private void attribute(Attribute attribute) throws IOException {
        json.writeStartObject();
        json.writeStringField("attribute_type", attribute.attributeType());
        json.writeStringField("code", attribute.code());
        json.writeFieldName("name");
        texts(attribute.name());
        json.writeArrayFieldStart("options");
        for (Attribute.Option option : attribute.options()) {
            json.writeStartObject();
            json.writeStringField("code", option.code());
            json.writeFieldName("name");
            texts(option.name());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("scope", attribute.scope());
        json.writeStringField("type", "attribute");
        json.writeEndObject();
    }

    private void category(Category category) throws IOException {
        json.writeStartObject();
        json.writeStringField("code", category.code());
        json.writeFieldName("name");
        texts(category.name());
        json.writeStringField("type", "category");
        json.writeEndObject();
    }

    private void product(Product product) throws IOException {
        json.writeStartObject();
        json.writeFieldName("bindings");
        strings(product.bindings());
        json.writeFieldName("categories");
        strings(product.categories());
        json.writeArrayFieldStart("children");
        for (Map.Entry<String, BigDecimal> child : product.children().entrySet()) {
            json.writeStartObject();
            json.writeFieldName("quantity");
            number(child.getValue());
            json.writeStringField("sku", child.getKey());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("product_type", product.productType());
        json.writeStringField("sku", product.sku());
        json.writeStringField("type", "product");
        json.writeObjectFieldStart("values");
        for (Map.Entry<String, SortedMap<String, Object>> attribute : product.values().entrySet()) {
            json.writeObjectFieldStart(attribute.getKey());
            for (Map.Entry<String, Object> language : attribute.getValue().entrySet()) {
                json.writeFieldName(language.getKey());
                value(language.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeFieldName("variants");
        strings(product.variants());
        json.writeEndObject();
    }

    private void texts(SortedMap<String, String> byLanguage) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, String> text : byLanguage.entrySet()) {
            json.writeStringField(text.getKey(), text.getValue());
        }
        json.writeEndObject();
    }

    private void strings(Collection<String> strings) throws IOException {
        json.writeStartArray();
        for (String string : strings) {
            json.writeString(string);
        }
        json.writeEndArray();
    }

    private void value(Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case Boolean bool -> json.writeBoolean(bool);
            case BigDecimal number -> number(number);
            case Number number -> number(new BigDecimal(number.toString()));
            case Map<?, ?> map -> {
                SortedMap<String, Object> sorted = new TreeMap<>();
                map.forEach((key, item) -> sorted.put(String.valueOf(key), item));
                json.writeStartObject();
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    json.writeFieldName(entry.getKey());
                    value(entry.getValue());
                }
                json.writeEndObject();
            }
            case Collection<?> list -> {
                json.writeStartArray();
                for (Object item : list) {
                    value(item);
                }
                json.writeEndArray();
            }
            default -> throw new IllegalArgumentException("a product value must be a String, number, Boolean, List, Map or null, got "
                    + value.getClass().getName());
        }
    }

    private void number(BigDecimal number) throws IOException {
        JsonCodec.writeNumber(json, number);
    }
}
