package dev.syncline.adapters.disk;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resources as the spill keeps them: a compact binary form, written and read back without any JSON. A spilled
 * resource was read and validated from the snapshot once; here it only waits for its shard, so it is not parsed,
 * checked and normalized a second time. A resource reads back equal to the one written: the same strings, the
 * same numbers with the same digits ({@code 1.50} stays {@code 1.50}), maps in their sorted order.
 *
 * <p>Not a storage format: the spill that wrote it reads it back in the same process, and deletes it. Reading a
 * damaged record throws {@link IllegalArgumentException} or {@link java.nio.BufferUnderflowException}.
 */
final class SpilledResources {

    private static final byte ATTRIBUTE = 0;
    private static final byte CATEGORY = 1;
    private static final byte PRODUCT = 2;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte NUMBER = 2;
    private static final byte TRUE = 3;
    private static final byte FALSE = 4;
    private static final byte LIST = 5;
    private static final byte MAP = 6;

    private SpilledResources() {
    }

    static void write(Output out, Resource resource) {
        switch (resource) {
            case Attribute attribute -> {
                out.put(ATTRIBUTE);
                string(out, attribute.code());
                string(out, attribute.attributeType());
                string(out, attribute.scope());
                texts(out, attribute.name());
                out.putInt(attribute.options().size());
                for (Attribute.Option option : attribute.options()) {
                    string(out, option.code());
                    texts(out, option.name());
                }
            }
            case Category category -> {
                out.put(CATEGORY);
                string(out, category.code());
                texts(out, category.name());
            }
            case Product product -> {
                out.put(PRODUCT);
                string(out, product.sku());
                string(out, product.productType());
                strings(out, product.categories());
                out.putInt(product.values().size());
                for (Map.Entry<String, SortedMap<String, Object>> attribute : product.values().entrySet()) {
                    string(out, attribute.getKey());
                    out.putInt(attribute.getValue().size());
                    for (Map.Entry<String, Object> language : attribute.getValue().entrySet()) {
                        string(out, language.getKey());
                        value(out, language.getValue());
                    }
                }
                strings(out, product.variants());
                strings(out, product.bindings());
                out.putInt(product.children().size());
                for (Map.Entry<String, BigDecimal> child : product.children().entrySet()) {
                    string(out, child.getKey());
                    number(out, child.getValue());
                }
            }
        }
    }

    static Resource read(ByteBuffer in) {
        byte type = in.get();
        return switch (type) {
            case ATTRIBUTE -> {
                String code = string(in);
                String attributeType = string(in);
                String scope = string(in);
                SortedMap<String, String> name = texts(in);
                int count = in.getInt();
                List<Attribute.Option> options = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    options.add(new Attribute.Option(string(in), texts(in)));
                }
                yield new Attribute(code, attributeType, scope, name, options);
            }
            case CATEGORY -> new Category(string(in), texts(in));
            case PRODUCT -> {
                String sku = string(in);
                String productType = string(in);
                SortedSet<String> categories = strings(in);
                int attributes = in.getInt();
                SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
                for (int i = 0; i < attributes; i++) {
                    String code = string(in);
                    int languages = in.getInt();
                    SortedMap<String, Object> byLanguage = new TreeMap<>();
                    for (int j = 0; j < languages; j++) {
                        byLanguage.put(string(in), value(in));
                    }
                    values.put(code, byLanguage);
                }
                SortedSet<String> variants = strings(in);
                SortedSet<String> bindings = strings(in);
                int count = in.getInt();
                SortedMap<String, BigDecimal> children = new TreeMap<>();
                for (int i = 0; i < count; i++) {
                    children.put(string(in), number(in));
                }
                yield new Product(sku, productType, categories, values, variants, bindings, children);
            }
            default -> throw new IllegalArgumentException("unknown resource type " + type);
        };
    }

    // ---- parts ------------------------------------------------------------------------------------

    private static void string(Output out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length);
        out.put(bytes, bytes.length);
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    private static void strings(Output out, Collection<String> strings) {
        out.putInt(strings.size());
        for (String string : strings) {
            string(out, string);
        }
    }

    private static SortedSet<String> strings(ByteBuffer in) {
        int count = in.getInt();
        SortedSet<String> strings = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            strings.add(string(in));
        }
        return strings;
    }

    private static void texts(Output out, SortedMap<String, String> byLanguage) {
        out.putInt(byLanguage.size());
        for (Map.Entry<String, String> text : byLanguage.entrySet()) {
            string(out, text.getKey());
            string(out, text.getValue());
        }
    }

    private static SortedMap<String, String> texts(ByteBuffer in) {
        int count = in.getInt();
        SortedMap<String, String> texts = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            texts.put(string(in), string(in));
        }
        return texts;
    }

    private static void number(Output out, BigDecimal number) {
        out.putInt(number.scale());
        byte[] unscaled = number.unscaledValue().toByteArray();
        out.putInt(unscaled.length);
        out.put(unscaled, unscaled.length);
    }

    private static BigDecimal number(ByteBuffer in) {
        int scale = in.getInt();
        byte[] unscaled = new byte[in.getInt()];
        in.get(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    /** A product value: String, number (kept as a BigDecimal with its digits), Boolean, List, Map or null. */
    private static void value(Output out, Object value) {
        switch (value) {
            case null -> out.put(NULL);
            case String text -> {
                out.put(STRING);
                string(out, text);
            }
            case BigDecimal number -> {
                out.put(NUMBER);
                number(out, number);
            }
            case Number number -> {
                out.put(NUMBER);
                number(out, new BigDecimal(number.toString()));
            }
            case Boolean bool -> out.put(bool ? TRUE : FALSE);
            case Collection<?> list -> {
                out.put(LIST);
                out.putInt(list.size());
                for (Object item : list) {
                    value(out, item);
                }
            }
            case Map<?, ?> map -> {
                // Sorted, as a snapshot's objects are read: the spilled form never depends on the map's own order.
                SortedMap<String, Object> sorted = new TreeMap<>();
                map.forEach((key, item) -> sorted.put(String.valueOf(key), item));
                out.put(MAP);
                out.putInt(sorted.size());
                for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                    string(out, entry.getKey());
                    value(out, entry.getValue());
                }
            }
            default -> throw new IllegalArgumentException("a product value must be a String, number, Boolean, List, Map or null, got "
                    + value.getClass().getName());
        }
    }

    private static Object value(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case NULL -> null;
            case STRING -> string(in);
            case NUMBER -> number(in);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case LIST -> {
                int count = in.getInt();
                List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    list.add(value(in));
                }
                yield Collections.unmodifiableList(list);
            }
            case MAP -> {
                int count = in.getInt();
                SortedMap<String, Object> map = new TreeMap<>();
                for (int i = 0; i < count; i++) {
                    map.put(string(in), value(in));
                }
                yield Collections.unmodifiableSortedMap(map);
            }
            default -> throw new IllegalArgumentException("unknown value tag " + tag);
        };
    }

    /** A growable byte buffer without the locks of the JDK's streams: what a spill block collects. */
    static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        int size() {
            return size;
        }

        /** The bytes written, valid up to {@link #size()}, until the next write. */
        byte[] bytes() {
            return bytes;
        }

        /** Empties the buffer, keeping its capacity. */
        void reset() {
            size = 0;
        }

        void put(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        void putInt(int value) {
            room(4);
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void putLong(long value) {
            putInt((int) (value >>> 32));
            putInt((int) value);
        }

        void put(byte[] source, int length) {
            room(length);
            System.arraycopy(source, 0, bytes, size, length);
            size += length;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
