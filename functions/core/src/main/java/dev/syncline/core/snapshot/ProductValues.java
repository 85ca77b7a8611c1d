package dev.syncline.core.snapshot;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares product values (JSON values as plain Java: String, number, Boolean, List, Map, null) the way change
 * detection must: numbers by value, so {@code 1.50} and {@code 1.5}, or {@code 10} and {@code 10.0}, are the same
 * value and a snapshot that only writes a number differently changes nothing at the App. Delivery never
 * normalizes: the App receives the digits the PIM wrote.
 */
public final class ProductValues {

    private ProductValues() {
    }

    /** Whether {@code a} and {@code b} are the same value, numbers compared by value at any depth. */
    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : x.entrySet()) {
                if (!y.containsKey(entry.getKey()) || !same(entry.getValue(), y.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> other = y.iterator();
            for (Object item : x) {
                if (!same(item, other.next())) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
    }
}
