package dev.syncline.core.plan;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The protocol's "included with" table: which detailed change types each App request may carry. A type belongs
 * to one resource and goes with its {@code *_created} request, its {@code *_updated} request or both; a
 * {@code *_deleted} request carries none. A full run therefore expresses the whole state of a resource the App
 * already holds with the types an update may carry, never with {@code *_created} ones.
 */
public final class IncludedWith {

    /** Which of a resource's requests a change type may travel in. */
    public enum Requests {
        CREATED, UPDATED, BOTH;

        boolean allow(String kind) {
            return this == BOTH || wireName().equals(kind);
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> RESOURCES = List.of("attribute", "category", "product");
    private static final SequencedMap<String, Requests> TABLE = table(
            "attribute_created", Requests.CREATED,
            "attribute_name_changed", Requests.BOTH,
            "attribute_option_created", Requests.BOTH,
            "attribute_option_name_changed", Requests.BOTH,
            "attribute_option_code_changed", Requests.BOTH,
            "attribute_option_deleted", Requests.UPDATED,
            "category_created", Requests.CREATED,
            "category_name_changed", Requests.BOTH,
            "product_created", Requests.CREATED,
            "product_value_added", Requests.BOTH,
            "product_value_changed", Requests.BOTH,
            "product_value_removed", Requests.UPDATED,
            "product_added_to_category", Requests.BOTH,
            "product_removed_from_category", Requests.UPDATED,
            "product_binding_added", Requests.BOTH,
            "product_binding_removed", Requests.UPDATED,
            "product_variant_added", Requests.UPDATED,
            "product_variant_removed", Requests.UPDATED,
            "product_child_added", Requests.BOTH,
            "product_child_quantity_changed", Requests.BOTH,
            "product_child_removed", Requests.UPDATED);
    private static final Map<String, Set<String>> ALLOWED = allowed();

    private IncludedWith() {
    }

    /** Every change type of the protocol, with the requests it may travel in, in the protocol's order. */
    public static SequencedMap<String, Requests> table() {
        return Collections.unmodifiableSequencedMap(TABLE);
    }

    /**
     * Why {@code request} (such as {@code product_updated}) may not carry {@code changeType}, or empty when it may.
     */
    public static Optional<String> violation(String request, String changeType) {
        int cut = request.lastIndexOf('_');
        String resource = cut < 0 ? request : request.substring(0, cut);
        String kind = cut < 0 ? "" : request.substring(cut + 1);
        if (!RESOURCES.contains(resource) || !List.of("created", "updated", "deleted").contains(kind)) {
            return Optional.of(request + " is not a resource request");
        }
        if (kind.equals("deleted")) {
            return Optional.of(request + " carries no change events, got " + changeType);
        }
        Requests allowed = TABLE.get(changeType);
        if (allowed == null) {
            return Optional.of(changeType + " is not a change type of the protocol");
        }
        if (!changeType.startsWith(resource + "_")) {
            return Optional.of(changeType + " is a change of another resource than " + request + "'s");
        }
        if (!allowed.allow(kind)) {
            return Optional.of(changeType + " may travel only in " + resource + "_" + allowed.wireName()
                    + " requests, not in " + request);
        }
        return Optional.empty();
    }

    /**
     * Checks a request's change types against the table.
     *
     * @throws IllegalArgumentException naming the first change type the request may not carry
     */
    static void require(String request, List<ChangeEvent> events) {
        Set<String> allowed = ALLOWED.get(request);
        for (ChangeEvent event : events) {
            if (allowed != null && allowed.contains(event.type())) {
                continue;
            }
            violation(request, event.type()).ifPresent(reason -> {
                throw new IllegalArgumentException(reason);
            });
        }
    }

    /**
     * The change types each resource request may carry, worked out once from the table: every planned entry is
     * checked, several times on its way to the plan.
     */
    private static Map<String, Set<String>> allowed() {
        Map<String, Set<String>> allowed = new HashMap<>();
        for (String resource : RESOURCES) {
            for (String kind : List.of("created", "updated", "deleted")) {
                String request = resource + "_" + kind;
                allowed.put(request, TABLE.keySet().stream().filter(type -> violation(request, type).isEmpty()).collect(Collectors.toUnmodifiableSet()));
            }
        }
        return Map.copyOf(allowed);
    }

    private static SequencedMap<String, Requests> table(Object... typesAndRequests) {
        SequencedMap<String, Requests> table = new LinkedHashMap<>();
        for (int i = 0; i < typesAndRequests.length; i += 2) {
            table.put((String) typesAndRequests[i], (Requests) typesAndRequests[i + 1]);
        }
        return table;
    }
}
