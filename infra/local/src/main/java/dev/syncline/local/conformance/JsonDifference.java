package dev.syncline.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Where two JSON documents first differ, as a path and the two values, for a report line. */
final class JsonDifference {

    private JsonDifference() {
    }

    /** The first difference, depth first in field order, or empty when the documents are equal. */
    static Optional<String> first(JsonNode before, JsonNode after) {
        return first("$", before, after);
    }

    private static Optional<String> first(String path, JsonNode before, JsonNode after) {
        if (before.equals(after)) {
            return Optional.empty();
        }
        if (before.isObject() && after.isObject()) {
            Set<String> names = new TreeSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                Optional<String> inner = first(path + "." + name, before.path(name), after.path(name));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        if (before.isArray() && after.isArray() && before.size() == after.size()) {
            Iterator<JsonNode> left = before.elements();
            Iterator<JsonNode> right = after.elements();
            for (int i = 0; left.hasNext(); i++) {
                Optional<String> inner = first(path + "[" + i + "]", left.next(), right.next());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.of(path + ": " + CheckResult.excerpt(before.toString()) + " became "
                + CheckResult.excerpt(after.toString()));
    }
}
