package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what a document shows with what came, the way a reader takes an example: an id (a UUID) stands for
 * whatever id came, and for the same id wherever it appears again; an opaque value the API hands out (a page
 * cursor, an upload URL) likewise; an ISO instant stands for any instant, a duration or request id for any;
 * everything else must match exactly, JSON compared as trees. It remembers which documented value stands for
 * which actual one, so that a later request of the document can be sent with the actual values.
 */
final class ExampleMatcher {

    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    /** Fields whose value is any string. */
    private static final Set<String> ANY_TEXT = Set.of("request_id");
    /** Fields whose value is any number (or null where null is documented). */
    private static final Set<String> ANY_NUMBER = Set.of("duration_ms", "duration_seconds", "estimated_usd");
    /**
     * Fields that measure what a run used, different from one run to the next: an example may leave them out, and
     * where it shows one it stands for any object with the same fields.
     */
    private static final Set<String> MEASURED = Set.of("cost");
    /** Fields whose value is opaque: it stands for whatever came, and for the same value wherever it is used again. */
    private static final Set<String> OPAQUE = Set.of("next_cursor", "upload_url");

    private final Map<String, String> fixed;
    private final Map<String, String> bound = new LinkedHashMap<>();

    /** @param fixed documented texts that always stand for an actual one, such as the App's URL */
    ExampleMatcher(Map<String, String> fixed) {
        this.fixed = Map.copyOf(fixed);
    }

    /** What the document shows, with every value bound so far in place of the documented one. */
    String toActual(String documented) {
        String text = documented;
        for (Map.Entry<String, String> value : fixed.entrySet()) {
            text = text.replace(value.getKey(), value.getValue());
        }
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(bound.entrySet());
        longestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        for (Map.Entry<String, String> value : longestFirst) {
            text = text.replace(value.getKey(), value.getValue());
        }
        return text;
    }

    /**
     * A request of the document names an id no answer gave (one that does not exist, on purpose): it stands for
     * itself.
     */
    void bindUnknownIdsToThemselves(String documentedRequest) {
        Matcher id = UUID_TEXT.matcher(documentedRequest);
        while (id.find()) {
            if (!bound.containsKey(id.group())) {
                bind(id.group(), id.group(), new ArrayList<>());
            }
        }
    }

    /** The actual value a documented one was bound to. */
    String actual(String documented) {
        String value = bound.get(documented);
        if (value == null) {
            throw new AssertionError(documented + " was not seen in an answer before it is used");
        }
        return value;
    }

    /** The bindings as they are, to restore them when an attempt at matching is dropped. */
    Map<String, String> snapshot() {
        return new LinkedHashMap<>(bound);
    }

    void restore(Map<String, String> snapshot) {
        bound.clear();
        bound.putAll(snapshot);
    }

    void compare(String path, JsonNode documented, JsonNode actual, List<String> differences) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        if (documented.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": documented an object, answered " + actual);
                return;
            }
            Set<String> documentedFields = fieldNames(documented);
            Set<String> actualFields = fieldNames(actual);
            if (MEASURED.contains(field)) {
                if (!documentedFields.equals(actualFields)) {
                    differences.add(path + ": documented a measurement with fields " + documentedFields + ", answered " + actualFields);
                }
                return;
            }
            actualFields.removeIf(name -> MEASURED.contains(name) && !documentedFields.contains(name));
            if (!documentedFields.equals(actualFields)) {
                differences.add(path + ": documented fields " + documentedFields + ", answered " + actualFields);
            }
            for (String name : documentedFields) {
                if (actualFields.contains(name)) {
                    compare(path + "." + name, documented.get(name), actual.get(name), differences);
                }
            }
        } else if (documented.isArray()) {
            if (!actual.isArray() || actual.size() != documented.size()) {
                differences.add(path + ": documented " + documented.size() + " items " + documented + ", answered " + actual);
                return;
            }
            for (int i = 0; i < documented.size(); i++) {
                compare(path + "[" + i + "]", documented.get(i), actual.get(i), differences);
            }
        } else if (documented.isTextual()) {
            compareText(path, field, documented.asText(), actual, differences);
        } else if (documented.isNumber() && ANY_NUMBER.contains(field)) {
            if (!actual.isNumber() || actual.asLong() < 0) {
                differences.add(path + ": documented a duration, answered " + actual);
            }
        } else if (!documented.equals(actual)) {
            differences.add(path + ": documented " + documented + ", answered " + actual);
        }
    }

    private void compareText(String path, String field, String documented, JsonNode actual, List<String> differences) {
        if (!actual.isTextual()) {
            differences.add(path + ": documented \"" + documented + "\", answered " + actual);
            return;
        }
        if (ANY_TEXT.contains(field)) {
            return;
        }
        if (OPAQUE.contains(field)) {
            compareOpaque(path, documented, actual.asText(), differences);
            return;
        }
        compareText(path, documented, actual.asText(), differences);
    }

    private void compareOpaque(String path, String documented, String actual, List<String> differences) {
        if (bound.containsKey(documented)) {
            if (!bound.get(documented).equals(actual)) {
                differences.add(path + ": documented the value answered before (" + bound.get(documented) + "), answered " + actual);
            }
            return;
        }
        if (actual.isBlank() || (path.endsWith("upload_url") && !actual.matches("https?://.+"))) {
            differences.add(path + ": documented a value like " + documented + ", answered \"" + actual + "\"");
            return;
        }
        bind(documented, actual, differences);
    }

    /**
     * Compares a text, such as a field or a header value: an instant stands for any instant; ids not bound yet
     * stand for whatever id is at their place, and are bound to it.
     */
    void compareText(String path, String documented, String actual, List<String> differences) {
        if (INSTANT.matcher(documented).matches()) {
            try {
                Instant.parse(actual);
            } catch (DateTimeParseException e) {
                differences.add(path + ": documented a time, answered \"" + actual + "\"");
            }
            return;
        }
        String expected = toActual(documented);
        StringBuilder regex = new StringBuilder();
        Map<String, String> groups = new LinkedHashMap<>();
        Matcher id = UUID_TEXT.matcher(expected);
        int from = 0;
        while (id.find()) {
            regex.append(Pattern.quote(expected.substring(from, id.start())));
            String documentedId = id.group();
            if (bound.containsValue(documentedId)) {
                regex.append(Pattern.quote(documentedId));
            } else if (groups.containsKey(documentedId)) {
                regex.append("\\k<").append(groups.get(documentedId)).append('>');
            } else {
                String group = "id" + groups.size();
                groups.put(documentedId, group);
                regex.append("(?<").append(group).append('>').append(UUID_TEXT.pattern()).append(')');
            }
            from = id.end();
        }
        regex.append(Pattern.quote(expected.substring(from)));
        Matcher match = Pattern.compile(regex.toString()).matcher(actual);
        if (!match.matches()) {
            differences.add(path + ": documented \"" + expected + "\", answered \"" + actual + "\"");
            return;
        }
        groups.forEach((documentedId, group) -> bind(documentedId, match.group(group), differences));
    }

    private void bind(String documented, String actual, List<String> differences) {
        for (Map.Entry<String, String> other : bound.entrySet()) {
            if (other.getValue().equals(actual) && !other.getKey().equals(documented)) {
                differences.add("the document shows " + other.getKey() + " and " + documented + " for the same value " + actual);
                return;
            }
        }
        bound.put(documented, actual);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
