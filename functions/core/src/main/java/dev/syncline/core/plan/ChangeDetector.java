package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ProductValues;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a resource with what the App last received and plans the entries that bring the App up to
 * date, with the protocol's detailed change events. An unchanged resource plans nothing; a full run plans
 * everything: a resource the App never had as created, one it holds as an update carrying its whole state
 * with only the change types an update may carry ({@link IncludedWith}), plus the removal of whatever the App
 * holds that is gone (an App applies an update's events to what it holds, so nothing else would ever remove it).
 *
 * <p>Value events of products work per language: {@code product_value_added} when the App had no value
 * for the attribute, {@code product_value_changed} with the languages that are new or differ, and
 * {@code product_value_removed} with the languages (and their old values) that are gone. An App applies
 * added and changed translations as upserts and removed ones as deletions.
 */
public final class ChangeDetector {

    private final Facets facets;

    public ChangeDetector(Facets facets) {
        this.facets = facets;
    }

    /**
     * Plans the entries for one resource.
     *
     * @param current the resource in the snapshot, or null when it is gone from it
     * @param baseline what the App last received of it
     */
    public List<PlannedEntry> plan(ResourceKey key, Resource current, Baseline baseline, SyncMode mode) {
        if (current == null) {
            return baseline.isEmpty() ? List.of() : List.of(deletion(key));
        }
        boolean full = mode == SyncMode.FULL;
        return switch (current) {
            case Attribute attribute -> planAttribute(attribute, (Attribute) baseline.primary(), full);
            case Category category -> planCategory(category, (Category) baseline.primary(), full);
            case Product product -> planProduct(product, (Product) baseline.primary(), baseline.relations(), full);
        };
    }

    private static PlannedEntry deletion(ResourceKey key) {
        Phase phase = switch (key.type()) {
            case ATTRIBUTE -> Phase.ATTRIBUTES;
            case CATEGORY -> Phase.CATEGORIES;
            case PRODUCT -> Phase.PRODUCTS;
        };
        return new PlannedEntry(phase, key.type().wireName() + "_deleted", key, List.of(), PlanReason.deleted(), null);
    }

    // ---- attributes -------------------------------------------------------------------------------

    private List<PlannedEntry> planAttribute(Attribute current, Attribute old, boolean full) {
        if (full && old != null) {
            return List.of(new PlannedEntry(Phase.ATTRIBUTES, "attribute_updated", current.key(), wholeAttribute(current, old),
                    PlanReason.fullRun(), current));
        }
        List<ChangeEvent> events = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        if (old == null) {
            events.add(new ChangeEvent("attribute_created", payload(
                    "code", current.code(),
                    "type", current.attributeType(),
                    "scope", current.scope(),
                    "name", translations(current.name()))));
        } else if (!old.name().equals(current.name())) {
            events.add(new ChangeEvent("attribute_name_changed", payload("name", translations(current.name()))));
            changed.add("name");
        }
        List<ChangeEvent> optionEvents = optionEvents(old == null ? List.of() : old.options(), current.options());
        if (!optionEvents.isEmpty() && old != null) {
            changed.add("options");
        }
        events.addAll(optionEvents);
        if (old != null && events.isEmpty()) {
            return List.of();
        }
        return List.of(new PlannedEntry(Phase.ATTRIBUTES, entryName(ResourceType.ATTRIBUTE, old), current.key(), events,
                reason(full, old, changed), current));
    }

    /**
     * The whole attribute as an update may carry it (the "included with" table): its whole name, every option the App
     * has with its whole name, every other option created, and the options gone deleted.
     */
    private static List<ChangeEvent> wholeAttribute(Attribute current, Attribute old) {
        List<ChangeEvent> events = new ArrayList<>();
        events.add(new ChangeEvent("attribute_name_changed", payload("name", translations(current.name()))));
        Set<String> held = new TreeSet<>();
        old.options().forEach(option -> held.add(option.code()));
        Set<String> kept = new TreeSet<>();
        for (Attribute.Option option : current.options()) {
            kept.add(option.code());
            events.add(new ChangeEvent(held.contains(option.code()) ? "attribute_option_name_changed" : "attribute_option_created",
                    payload("option_code", option.code(), "option_name", translations(option.name()))));
        }
        for (Attribute.Option option : old.options()) {
            if (!kept.contains(option.code())) {
                events.add(new ChangeEvent("attribute_option_deleted", payload("option_code", option.code())));
            }
        }
        return events;
    }

    private static List<ChangeEvent> optionEvents(List<Attribute.Option> before, List<Attribute.Option> after) {
        Map<String, Attribute.Option> old = new LinkedHashMap<>();
        before.forEach(option -> old.put(option.code(), option));
        Map<String, Attribute.Option> now = new LinkedHashMap<>();
        after.forEach(option -> now.put(option.code(), option));

        List<Attribute.Option> removed = new ArrayList<>(old.values());
        removed.removeIf(option -> now.containsKey(option.code()));
        List<Attribute.Option> added = new ArrayList<>(now.values());
        added.removeIf(option -> old.containsKey(option.code()));

        List<ChangeEvent> events = new ArrayList<>();
        // An option that disappeared and one that appeared with the very same names is a renamed code.
        for (Attribute.Option gone : List.copyOf(removed)) {
            for (Attribute.Option appeared : List.copyOf(added)) {
                if (!gone.name().isEmpty() && gone.name().equals(appeared.name())) {
                    events.add(new ChangeEvent("attribute_option_code_changed",
                            payload("option_code", appeared.code(), "previous_option_code", gone.code())));
                    removed.remove(gone);
                    added.remove(appeared);
                    break;
                }
            }
        }
        for (Attribute.Option option : added) {
            events.add(new ChangeEvent("attribute_option_created",
                    payload("option_code", option.code(), "option_name", translations(option.name()))));
        }
        for (Attribute.Option option : now.values()) {
            Attribute.Option previous = old.get(option.code());
            if (previous != null && !previous.name().equals(option.name())) {
                events.add(new ChangeEvent("attribute_option_name_changed",
                        payload("option_code", option.code(), "option_name", translations(option.name()))));
            }
        }
        for (Attribute.Option option : removed) {
            events.add(new ChangeEvent("attribute_option_deleted", payload("option_code", option.code())));
        }
        return events;
    }

    // ---- categories -------------------------------------------------------------------------------

    private List<PlannedEntry> planCategory(Category current, Category old, boolean full) {
        if (old == null) {
            return List.of(new PlannedEntry(Phase.CATEGORIES, "category_created", current.key(),
                    List.of(new ChangeEvent("category_created", payload("code", current.code(), "name", translations(current.name())))),
                    reason(full, null, List.of()), current));
        }
        if (!full && old.name().equals(current.name())) {
            return List.of();
        }
        // A full run sends the App's category its whole name, as an update may carry it.
        return List.of(new PlannedEntry(Phase.CATEGORIES, "category_updated", current.key(),
                List.of(new ChangeEvent("category_name_changed", payload("name", translations(current.name())))),
                full ? PlanReason.fullRun() : PlanReason.changed(List.of("name")), current));
    }

    // ---- products ---------------------------------------------------------------------------------

    private List<PlannedEntry> planProduct(Product current, Product oldCore, Product oldRelations, boolean full) {
        List<PlannedEntry> entries = new ArrayList<>();
        Product core = facets.core(current);
        Product baseCore = full ? null : oldCore;
        List<ChangeEvent> events = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        if (oldCore == null) {
            events.add(new ChangeEvent("product_created", payload("sku", current.sku(), "type", current.productType())));
        }
        Product before = baseCore == null ? Product.of(current.sku(), current.productType()) : baseCore;
        if (full && oldCore != null) {
            wholeValueEvents(oldCore.values(), core.values(), events);
        } else {
            valueEvents(before.values(), core.values(), events, changed);
        }
        setEvents(before.categories(), core.categories(), "product_added_to_category", "product_removed_from_category",
                "category_code", "categories", events, changed);
        setEvents(before.bindings(), core.bindings(), "product_binding_added", "product_binding_removed",
                "attribute_code", "bindings", events, changed);
        if (full && oldCore != null) {
            List<ChangeEvent> diff = new ArrayList<>();
            valueEvents(oldCore.values(), core.values(), diff, new ArrayList<>());
            setEvents(oldCore.categories(), core.categories(), "product_added_to_category", "product_removed_from_category",
                    "category_code", "categories", diff, new ArrayList<>());
            setEvents(oldCore.bindings(), core.bindings(), "product_binding_added", "product_binding_removed",
                    "attribute_code", "bindings", diff, new ArrayList<>());
            events.addAll(removals(diff, "product_value_removed", "product_removed_from_category", "product_binding_removed"));
        }
        if (baseCore == null || !events.isEmpty()) {
            entries.add(new PlannedEntry(Phase.PRODUCTS, entryName(ResourceType.PRODUCT, oldCore), current.key(), events,
                    reason(full, oldCore, changed), core));
        }

        Product relations = facets.relations(current);
        Product baseRelations = full || oldRelations == null ? Product.of(current.sku(), current.productType()) : oldRelations;
        List<ChangeEvent> relationEvents = new ArrayList<>();
        List<String> relationChanges = new ArrayList<>();
        setEvents(baseRelations.variants(), relations.variants(), "product_variant_added", "product_variant_removed",
                "sku", "variants", relationEvents, relationChanges);
        childEvents(baseRelations.children(), relations.children(), relationEvents, relationChanges);
        if (full && oldRelations != null) {
            wholeValueEvents(oldRelations.values(), relations.values(), relationEvents);
        } else {
            valueEvents(baseRelations.values(), relations.values(), relationEvents, relationChanges);
        }
        if (full && oldRelations != null) {
            List<ChangeEvent> diff = new ArrayList<>();
            setEvents(oldRelations.variants(), relations.variants(), "product_variant_added", "product_variant_removed",
                    "sku", "variants", diff, new ArrayList<>());
            childEvents(oldRelations.children(), relations.children(), diff, new ArrayList<>());
            valueEvents(oldRelations.values(), relations.values(), diff, new ArrayList<>());
            relationEvents.addAll(removals(diff, "product_variant_removed", "product_child_removed", "product_value_removed"));
        }
        if (!relationEvents.isEmpty()) {
            PlanReason why = full ? PlanReason.fullRun()
                    : oldRelations == null && oldCore == null ? PlanReason.created() : PlanReason.changed(relationChanges);
            entries.add(new PlannedEntry(Phase.RELATIONS, "product_updated", current.key(), relationEvents, why, relations));
        }
        return entries;
    }

    private static void valueEvents(SortedMap<String, SortedMap<String, Object>> before, SortedMap<String, SortedMap<String, Object>> after,
            List<ChangeEvent> events, List<String> changed) {
        // Both are sorted: with nothing before (a product the App never had), the attributes are those of after.
        Set<String> attributes = before.isEmpty() ? after.keySet() : union(before.keySet(), after.keySet());
        for (String attribute : attributes) {
            SortedMap<String, Object> old = before.getOrDefault(attribute, Collections.emptySortedMap());
            SortedMap<String, Object> now = after.getOrDefault(attribute, Collections.emptySortedMap());
            if (old.isEmpty() && !now.isEmpty()) {
                // Every language is new: the value is added whole, and nothing is removed.
                changed.add("values." + attribute);
                events.add(new ChangeEvent("product_value_added",
                        payload("attribute_code", attribute, "translations", valueTranslations(now))));
                continue;
            }
            if (ProductValues.same(old, now)) {
                continue;
            }
            changed.add("values." + attribute);
            SortedMap<String, Object> upserted = new TreeMap<>();
            now.forEach((language, value) -> {
                if (!old.containsKey(language) || !ProductValues.same(old.get(language), value)) {
                    upserted.put(language, value);
                }
            });
            SortedMap<String, Object> removed = new TreeMap<>(old);
            removed.keySet().removeAll(now.keySet());
            if (!upserted.isEmpty()) {
                events.add(new ChangeEvent(old.isEmpty() ? "product_value_added" : "product_value_changed",
                        payload("attribute_code", attribute, "translations", valueTranslations(upserted))));
            }
            if (!removed.isEmpty()) {
                events.add(new ChangeEvent("product_value_removed",
                        payload("attribute_code", attribute, "translations", valueTranslations(removed))));
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    /**
     * Every value of {@code after} with all its languages, as an update may carry it: changed where the App holds a value
     * for the attribute, added where it holds none.
     */
    private static void wholeValueEvents(SortedMap<String, SortedMap<String, Object>> before,
            SortedMap<String, SortedMap<String, Object>> after, List<ChangeEvent> events) {
        after.forEach((attribute, byLanguage) -> events.add(new ChangeEvent(
                before.containsKey(attribute) ? "product_value_changed" : "product_value_added",
                payload("attribute_code", attribute, "translations", valueTranslations(byLanguage)))));
    }

    private static void setEvents(Set<String> before, Set<String> after, String addedType, String removedType, String field,
            String fieldName, List<ChangeEvent> events, List<String> changed) {
        boolean any = false;
        for (String value : after) {
            if (!before.contains(value)) {
                events.add(new ChangeEvent(addedType, payload(field, value)));
                any = true;
            }
        }
        for (String value : before) {
            if (!after.contains(value)) {
                events.add(new ChangeEvent(removedType, payload(field, value)));
                any = true;
            }
        }
        if (any) {
            changed.add(fieldName);
        }
    }

    private static void childEvents(SortedMap<String, BigDecimal> before, SortedMap<String, BigDecimal> after,
            List<ChangeEvent> events, List<String> changed) {
        boolean any = false;
        for (Map.Entry<String, BigDecimal> child : after.entrySet()) {
            BigDecimal old = before.get(child.getKey());
            if (old == null) {
                events.add(new ChangeEvent("product_child_added", payload("sku", child.getKey(), "quantity", child.getValue())));
                any = true;
            } else if (old.compareTo(child.getValue()) != 0) {
                events.add(new ChangeEvent("product_child_quantity_changed", payload("sku", child.getKey(), "quantity", child.getValue())));
                any = true;
            }
        }
        for (String sku : before.keySet()) {
            if (!after.containsKey(sku)) {
                events.add(new ChangeEvent("product_child_removed", payload("sku", sku)));
                any = true;
            }
        }
        if (any) {
            changed.add("children");
        }
    }

    /** The removals among {@code diff}: what a full run adds to its from-nothing events for a resource the App holds. */
    private static List<ChangeEvent> removals(List<ChangeEvent> diff, String... removalTypes) {
        Set<String> types = Set.of(removalTypes);
        return diff.stream().filter(event -> types.contains(event.type())).toList();
    }

    // ---- shapes -----------------------------------------------------------------------------------

    private static String entryName(ResourceType type, Resource old) {
        return type.wireName() + (old == null ? "_created" : "_updated");
    }

    private static PlanReason reason(boolean full, Resource old, List<String> changed) {
        if (full) {
            return PlanReason.fullRun();
        }
        return old == null ? PlanReason.created() : PlanReason.changed(changed);
    }

    /** {@code [{language, value}]}, sorted by language. */
    private static List<Map<String, Object>> translations(SortedMap<String, String> byLanguage) {
        List<Map<String, Object>> list = new ArrayList<>();
        byLanguage.forEach((language, value) -> list.add(payload("language", language, "value", value)));
        return list;
    }

    /** {@code [{language, value}]} with {@code language: null} for a value that is not localized. */
    private static List<Map<String, Object>> valueTranslations(SortedMap<String, Object> byLanguage) {
        List<Map<String, Object>> list = new ArrayList<>();
        byLanguage.forEach((language, value) ->
                list.add(payload("language", Product.NOT_LOCALIZED.equals(language) ? null : language, "value", value)));
        return list;
    }

    /** An ordered map that allows null values (Map.of does not). */
    static Map<String, Object> payload(Object... keysAndValues) {
        return Payload.of(keysAndValues);
    }

}
