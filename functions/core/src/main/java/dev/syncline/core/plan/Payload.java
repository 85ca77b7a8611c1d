package dev.syncline.core.plan;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A change event's payload, or an object inside one: a few fields in the order they were given, values allowed to
 * be null, and no change after it is made. A plan holds one or more per entry, millions per catalog, so it is two
 * arrays instead of a hash table of entries wrapped in an unmodifiable view; reading a field scans the few keys.
 * It equals any map with the same fields and values, whatever the map's kind.
 */
public final class Payload extends AbstractMap<String, Object> {

    private static final Payload EMPTY = new Payload(new String[0], new Object[0]);

    private final String[] keys;
    private final Object[] values;

    private Payload(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * A payload of the given fields, in order: {@code of("sku", "A-1", "quantity", null)}.
     *
     * @throws IllegalArgumentException when a key is not a string, is null or comes twice, or a key has no value
     */
    public static Payload of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs, got " + keysAndValues.length + " items");
        }
        int size = keysAndValues.length / 2;
        String[] keys = new String[size];
        Object[] values = new Object[size];
        for (int i = 0; i < size; i++) {
            if (!(keysAndValues[2 * i] instanceof String key)) {
                throw new IllegalArgumentException("key " + (i + 1) + " must be a string, got " + keysAndValues[2 * i]);
            }
            for (int j = 0; j < i; j++) {
                if (keys[j].equals(key)) {
                    throw new IllegalArgumentException("key " + key + " comes twice");
                }
            }
            keys[i] = key;
            values[i] = keysAndValues[2 * i + 1];
        }
        return new Payload(keys, values);
    }

    /** {@code map} itself when it is a payload, otherwise a payload of its fields in its iteration order. */
    public static Payload copyOf(Map<String, ?> map) {
        if (map instanceof Payload payload) {
            return payload;
        }
        if (map.isEmpty()) {
            return EMPTY;
        }
        String[] keys = new String[map.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            keys[i] = Objects.requireNonNull(entry.getKey(), "a payload's key");
            values[i] = entry.getValue();
            i++;
        }
        return new Payload(keys, values);
    }

    /** The key of field {@code index}, in order. */
    public String key(int index) {
        return keys[index];
    }

    /** The value of field {@code index}, in order. */
    public Object value(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : values[index];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int index = next++;
                        return new SimpleImmutableEntry<>(keys[index], values[index]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
