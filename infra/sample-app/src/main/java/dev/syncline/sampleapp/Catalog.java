package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What one installation's App knows of the PIM's catalog, built only from the events it received. Not
 * thread-safe: its {@link Installation} serializes access.
 */
final class Catalog {

    enum Status { HANDSHAKE_COMPLETED, INSTALLED, UNINSTALLED }

    /** How many runs' start and end notices are kept; older ones are forgotten. */
    private static final int KEPT_RUNS = 100;

    /** Languages ordered with "not localized" ({@code null}) first. */
    private static final Comparator<String> LANGUAGE_ORDER = Comparator.nullsFirst(Comparator.naturalOrder());

    private final String installationId;
    private final SortedMap<String, Attribute> attributes = new TreeMap<>();
    private final SortedMap<String, Category> categories = new TreeMap<>();
    private final SortedMap<String, Product> products = new TreeMap<>();
    private final LinkedHashMap<String, JsonNode> runs = new LinkedHashMap<>();
    private Status status = Status.HANDSHAKE_COMPLETED;

    Catalog(String installationId) {
        this.installationId = installationId;
    }

    static final class Attribute {
        final String code;
        String type;
        String scope;
        final SortedMap<String, JsonNode> name = new TreeMap<>(LANGUAGE_ORDER);
        final SortedMap<String, SortedMap<String, JsonNode>> options = new TreeMap<>();

        Attribute(String code) {
            this.code = code;
        }
    }

    static final class Category {
        final String code;
        final SortedMap<String, JsonNode> name = new TreeMap<>(LANGUAGE_ORDER);

        Category(String code) {
            this.code = code;
        }
    }

    static final class Product {
        final String sku;
        String type;
        String externalId;
        final SortedSet<String> categories = new TreeSet<>();
        final SortedSet<String> bindings = new TreeSet<>();
        final SortedSet<String> variants = new TreeSet<>();
        final SortedMap<String, Integer> children = new TreeMap<>();
        /** Attribute code to language ({@code null} when not localized) to value. */
        final SortedMap<String, SortedMap<String, JsonNode>> values = new TreeMap<>();

        Product(String sku) {
            this.sku = sku;
        }
    }

    /** Products held, by SKU order. */
    Collection<Product> products() {
        return products.values();
    }

    /**
     * Applies one delivery.
     *
     * @return the {@code resource_customs} to answer with: for a created or updated product, its external id
     */
    Optional<ObjectNode> apply(Delivery delivery) {
        switch (delivery) {
            case Delivery.Lifecycle lifecycle -> applyLifecycle(lifecycle);
            case Delivery.RunNotice notice -> rememberRun(notice);
            case Delivery.ResourceEvent event -> {
                switch (event.kind()) {
                    case ATTRIBUTE -> applyAttribute(event);
                    case CATEGORY -> applyCategory(event);
                    case PRODUCT -> {
                        return applyProduct(event);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void rememberRun(Delivery.RunNotice notice) {
        runs.remove(notice.synchronizationId());
        runs.put(notice.synchronizationId(), notice.synchronization().deepCopy());
        if (runs.size() > KEPT_RUNS) {
            Iterator<String> oldest = runs.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void applyLifecycle(Delivery.Lifecycle lifecycle) {
        if (lifecycle.event().equals("app_installed")) {
            status = Status.INSTALLED;
            return;
        }
        // An uninstalled App forgets the tenant's data. The secret stays (Installations never drops one) so that
        // a retried app_uninstalled still verifies and is acknowledged.
        status = Status.UNINSTALLED;
        attributes.clear();
        categories.clear();
        products.clear();
        runs.clear();
    }

    private void applyAttribute(Delivery.ResourceEvent event) {
        String code = event.resourceId();
        if (event.action() == Delivery.Action.DELETED) {
            attributes.remove(code);
            return;
        }
        // A created resource carries its whole state, so it replaces whatever was held (a full run re-creates).
        Attribute attribute = event.action() == Delivery.Action.CREATED
                ? new Attribute(code)
                : attributes.getOrDefault(code, new Attribute(code));
        for (Change change : event.changes()) {
            switch ((Change.AttributeChange) change) {
                case Change.AttributeCreated created -> {
                    attribute.type = created.type();
                    attribute.scope = created.scope();
                    put(attribute.name, created.name());
                }
                case Change.AttributeNameChanged renamed -> put(attribute.name, renamed.name());
                case Change.AttributeOptionCreated option ->
                        put(attribute.options.computeIfAbsent(option.optionCode(), key -> new TreeMap<>(LANGUAGE_ORDER)),
                                option.optionName());
                case Change.AttributeOptionNameChanged option ->
                        put(attribute.options.computeIfAbsent(option.optionCode(), key -> new TreeMap<>(LANGUAGE_ORDER)),
                                option.optionName());
                case Change.AttributeOptionCodeChanged recoded -> {
                    SortedMap<String, JsonNode> name = attribute.options.remove(recoded.previousOptionCode());
                    attribute.options.put(recoded.optionCode(), name == null ? new TreeMap<>(LANGUAGE_ORDER) : name);
                }
                case Change.AttributeOptionDeleted deleted -> attribute.options.remove(deleted.optionCode());
            }
        }
        attributes.put(code, attribute);
    }

    private void applyCategory(Delivery.ResourceEvent event) {
        String code = event.resourceId();
        if (event.action() == Delivery.Action.DELETED) {
            categories.remove(code);
            return;
        }
        Category category = event.action() == Delivery.Action.CREATED
                ? new Category(code)
                : categories.getOrDefault(code, new Category(code));
        for (Change change : event.changes()) {
            switch ((Change.CategoryChange) change) {
                case Change.CategoryCreated created -> put(category.name, created.name());
                case Change.CategoryNameChanged renamed -> put(category.name, renamed.name());
            }
        }
        categories.put(code, category);
    }

    private Optional<ObjectNode> applyProduct(Delivery.ResourceEvent event) {
        String sku = event.resourceId();
        Product held = products.get(sku);
        if (event.action() == Delivery.Action.DELETED) {
            products.remove(sku);
            return Optional.empty();
        }
        Product product = event.action() == Delivery.Action.CREATED || held == null ? new Product(sku) : held;
        product.externalId = externalId(event, held);
        for (Change change : event.changes()) {
            switch ((Change.ProductChange) change) {
                case Change.ProductCreated created -> product.type = created.type();
                case Change.ValueSet set -> put(
                        product.values.computeIfAbsent(set.attributeCode(), code -> new TreeMap<>(LANGUAGE_ORDER)),
                        set.translations());
                case Change.ValueRemoved removed -> removeValue(product, removed);
                case Change.AddedToCategory added -> product.categories.add(added.categoryCode());
                case Change.RemovedFromCategory removed -> product.categories.remove(removed.categoryCode());
                case Change.BindingAdded added -> product.bindings.add(added.attributeCode());
                case Change.BindingRemoved removed -> product.bindings.remove(removed.attributeCode());
                case Change.VariantAdded added -> product.variants.add(added.sku());
                case Change.VariantRemoved removed -> product.variants.remove(removed.sku());
                case Change.ChildSet child -> product.children.put(child.sku(), child.quantity());
                case Change.ChildRemoved removed -> product.children.remove(removed.sku());
            }
        }
        products.put(sku, product);
        return Optional.of(Json.object().put("external_id", product.externalId));
    }

    /**
     * The id the App's own system knows this product by. The engine sends back what the App answered last time
     * in {@code resource_customs}; when it has none (first delivery, or the customs were lost) the App falls
     * back to what it holds, then to an id derived from installation and SKU, so the answer is stable either way.
     */
    private String externalId(Delivery.ResourceEvent event, Product held) {
        JsonNode sent = event.resourceCustoms().path("external_id");
        if (sent.isTextual() && !sent.asText().isEmpty()) {
            return sent.asText();
        }
        if (held != null && held.externalId != null) {
            return held.externalId;
        }
        return "sample-" + UUID.nameUUIDFromBytes((installationId + "\n" + event.resourceId())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void removeValue(Product product, Change.ValueRemoved removed) {
        SortedMap<String, JsonNode> languages = product.values.get(removed.attributeCode());
        if (languages == null) {
            return;
        }
        if (removed.translations().isEmpty()) {
            product.values.remove(removed.attributeCode());
            return;
        }
        removed.translations().forEach(translation -> languages.remove(translation.language()));
        if (languages.isEmpty()) {
            product.values.remove(removed.attributeCode());
        }
    }

    private static void put(Map<String, JsonNode> byLanguage, List<Translation> translations) {
        translations.forEach(translation -> byLanguage.put(translation.language(), translation.value().deepCopy()));
    }

    /** The whole model as JSON, for {@code GET /_sample/catalog/{installation}} and tests. */
    ObjectNode toJson() {
        ObjectNode json = Json.object()
                .put("installation_id", installationId)
                .put("status", status.name().toLowerCase(Locale.ROOT));
        ObjectNode attributesJson = json.putObject("attributes");
        attributes.values().forEach(attribute -> {
            ObjectNode node = attributesJson.putObject(attribute.code)
                    .put("type", attribute.type)
                    .put("scope", attribute.scope);
            node.set("name", translations(attribute.name));
            ObjectNode options = node.putObject("options");
            attribute.options.forEach((code, name) -> options.set(code, translations(name)));
        });
        ObjectNode categoriesJson = json.putObject("categories");
        categories.values().forEach(category ->
                categoriesJson.putObject(category.code).set("name", translations(category.name)));
        ObjectNode productsJson = json.putObject("products");
        products.values().forEach(product -> {
            ObjectNode node = productsJson.putObject(product.sku)
                    .put("type", product.type)
                    .put("external_id", product.externalId);
            product.categories.forEach(node.putArray("categories")::add);
            product.bindings.forEach(node.putArray("bindings")::add);
            product.variants.forEach(node.putArray("variants")::add);
            ObjectNode children = node.putObject("children");
            product.children.forEach(children::put);
            ObjectNode values = node.putObject("values");
            product.values.forEach((code, byLanguage) -> values.set(code, translations(byLanguage)));
        });
        ObjectNode runsJson = json.putObject("synchronizations");
        runs.forEach(runsJson::set);
        return json;
    }

    private static ArrayNode translations(Map<String, JsonNode> byLanguage) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        byLanguage.forEach((language, value) -> list.addObject().put("language", language).set("value", value));
        return list;
    }
}
