package dev.syncline.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The entries and detailed change events an App receives for each kind of change, checked against the protocol's
 * table of event types (docs: reference/apps-protocol.md): names, phases, and the exact payloads.
 */
class ChangeDetectorTest {

    private static final String RELATED = "related";
    private final Facets facets = new Facets(Set.of(RELATED));
    private final ChangeDetector detector = new ChangeDetector(facets);

    // ---- attributes -------------------------------------------------------------------------------

    private final Attribute color = new Attribute("color", "SELECT", "global", names("en_GB", "Colour", "de_DE", "Farbe"),
            List.of(option("red", "en_GB", "Red", "de_DE", "Rot"), option("blue", "en_GB", "Blue")));

    @Test
    void attribute_whenNew_plansAttributeCreatedWithItsNameTranslationsThenEachOption() {
        List<PlannedEntry> entries = incremental(color, Baseline.NONE);

        assertThat(entries).containsExactly(new PlannedEntry(Phase.ATTRIBUTES, "attribute_created",
                key(ResourceType.ATTRIBUTE, "color"),
                List.of(
                        event("attribute_created", "code", "color", "type", "SELECT", "scope", "global",
                                "name", List.of(translation("de_DE", "Farbe"), translation("en_GB", "Colour"))),
                        event("attribute_option_created", "option_code", "red",
                                "option_name", List.of(translation("de_DE", "Rot"), translation("en_GB", "Red"))),
                        event("attribute_option_created", "option_code", "blue",
                                "option_name", List.of(translation("en_GB", "Blue")))),
                PlanReason.created(), color));
    }

    @Test
    void attribute_whenOneNameTranslationChanges_plansAttributeUpdatedWithTheWholeNewName() {
        Attribute renamed = new Attribute("color", "SELECT", "global", names("en_GB", "Color", "de_DE", "Farbe"), color.options());

        List<PlannedEntry> entries = incremental(renamed, delivered(color));

        assertThat(entries).containsExactly(new PlannedEntry(Phase.ATTRIBUTES, "attribute_updated",
                key(ResourceType.ATTRIBUTE, "color"),
                List.of(event("attribute_name_changed",
                        "name", List.of(translation("de_DE", "Farbe"), translation("en_GB", "Color")))),
                PlanReason.changed(List.of("name")), renamed));
    }

    @Test
    void attribute_whenOptionAdded_plansOptionCreatedOnly() {
        Attribute more = withOptions(option("red", "en_GB", "Red", "de_DE", "Rot"), option("blue", "en_GB", "Blue"),
                option("green", "en_GB", "Green", "pl_PL", "Zielony"));

        PlannedEntry entry = single(incremental(more, delivered(color)));

        assertThat(entry.event()).isEqualTo("attribute_updated");
        assertThat(entry.events()).containsExactly(event("attribute_option_created", "option_code", "green",
                "option_name", List.of(translation("en_GB", "Green"), translation("pl_PL", "Zielony"))));
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("options")));
        assertThat(entry.state()).isEqualTo(more);
    }

    @Test
    void attribute_whenOptionNameChanges_plansOptionNameChangedWithTheWholeNewName() {
        Attribute renamed = withOptions(option("red", "en_GB", "Red", "de_DE", "Rotes"), option("blue", "en_GB", "Blue"));

        assertThat(single(incremental(renamed, delivered(color))).events()).containsExactly(event(
                "attribute_option_name_changed", "option_code", "red",
                "option_name", List.of(translation("de_DE", "Rotes"), translation("en_GB", "Red"))));
    }

    @Test
    void attribute_whenOptionCodeChangesButItsNamesStay_plansOptionCodeChangedWithThePreviousCode() {
        Attribute recoded = withOptions(option("RED", "en_GB", "Red", "de_DE", "Rot"), option("blue", "en_GB", "Blue"));

        assertThat(single(incremental(recoded, delivered(color))).events()).containsExactly(
                event("attribute_option_code_changed", "option_code", "RED", "previous_option_code", "red"));
    }

    @Test
    void attribute_whenOptionWithoutNamesChangesCode_plansDeletionAndCreationSinceNothingTiesThemTogether() {
        Attribute before = withOptions(option("a"));
        Attribute after = withOptions(option("b"));

        assertThat(single(incremental(after, delivered(before))).events()).containsExactly(
                event("attribute_option_created", "option_code", "b", "option_name", List.of()),
                event("attribute_option_deleted", "option_code", "a"));
    }

    @Test
    void attribute_whenOptionRemoved_plansOptionDeleted() {
        Attribute fewer = withOptions(option("blue", "en_GB", "Blue"));

        assertThat(single(incremental(fewer, delivered(color))).events())
                .containsExactly(event("attribute_option_deleted", "option_code", "red"));
    }

    @Test
    void attribute_whenNameAndOptionsChange_sendsEveryChangeInOneEntry() {
        Attribute changed = new Attribute("color", "SELECT", "global", names("en_GB", "Colour"),
                List.of(option("blue", "en_GB", "Navy"), option("white", "en_GB", "White")));

        PlannedEntry entry = single(incremental(changed, delivered(color)));

        assertThat(entry.events()).extracting(ChangeEvent::type).containsExactly("attribute_name_changed",
                "attribute_option_created", "attribute_option_name_changed", "attribute_option_deleted");
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("name", "options")));
    }

    @Test
    void attribute_whenUnchanged_plansNothing() {
        Attribute same = new Attribute("color", "SELECT", "global", names("de_DE", "Farbe", "en_GB", "Colour"),
                List.of(option("red", "de_DE", "Rot", "en_GB", "Red"), option("blue", "en_GB", "Blue")));

        assertThat(incremental(same, delivered(color))).isEmpty();
    }

    @Test
    void attribute_whenGoneFromTheSnapshot_plansAttributeDeletedWithNoEvents() {
        assertThat(detector.plan(color.key(), null, delivered(color), SyncMode.INCREMENTAL)).containsExactly(new PlannedEntry(
                Phase.ATTRIBUTES, "attribute_deleted", key(ResourceType.ATTRIBUTE, "color"), List.of(), PlanReason.deleted(), null));
    }

    @Test
    void attribute_whenFullRunAndAppHasIt_plansAttributeUpdatedCarryingTheWholeAttributeAsAnUpdateMay() {
        Attribute oneMore = withOptions(option("red", "en_GB", "Red", "de_DE", "Rot"), option("blue", "en_GB", "Blue"),
                option("green", "en_GB", "Green"));

        PlannedEntry entry = single(detector.plan(color.key(), oneMore, delivered(color), SyncMode.FULL));

        assertThat(entry.event()).isEqualTo("attribute_updated");
        assertThat(entry.reason()).isEqualTo(PlanReason.fullRun());
        assertThat(entry.events()).containsExactly(
                event("attribute_name_changed", "name", List.of(translation("de_DE", "Farbe"), translation("en_GB", "Colour"))),
                event("attribute_option_name_changed", "option_code", "red",
                        "option_name", List.of(translation("de_DE", "Rot"), translation("en_GB", "Red"))),
                event("attribute_option_name_changed", "option_code", "blue", "option_name", List.of(translation("en_GB", "Blue"))),
                event("attribute_option_created", "option_code", "green", "option_name", List.of(translation("en_GB", "Green"))));
    }

    @Test
    void attribute_whenFullRunAndAppNeverHadIt_plansAttributeCreated() {
        PlannedEntry entry = single(detector.plan(color.key(), color, Baseline.NONE, SyncMode.FULL));

        assertThat(entry.event()).isEqualTo("attribute_created");
        assertThat(entry.reason()).isEqualTo(PlanReason.fullRun());
    }

    @Test
    void attribute_whenFullRunAfterAnOptionWasRemoved_alsoPlansItsDeletion() {
        Attribute fewer = withOptions(option("blue", "en_GB", "Blue"));

        PlannedEntry entry = single(detector.plan(fewer.key(), fewer, delivered(color), SyncMode.FULL));

        assertThat(entry.events()).containsExactly(
                event("attribute_name_changed", "name", List.of(translation("de_DE", "Farbe"), translation("en_GB", "Colour"))),
                event("attribute_option_name_changed", "option_code", "blue", "option_name", List.of(translation("en_GB", "Blue"))),
                event("attribute_option_deleted", "option_code", "red"));
    }

    private Attribute withOptions(Attribute.Option... options) {
        return new Attribute("color", "SELECT", "global", color.name(), List.of(options));
    }

    // ---- categories -------------------------------------------------------------------------------

    private final Category shoes = new Category("shoes", names("en_GB", "Shoes", "de_DE", "Schuhe"));

    @Test
    void category_whenNew_plansCategoryCreatedWithCodeAndName() {
        assertThat(incremental(shoes, Baseline.NONE)).containsExactly(new PlannedEntry(Phase.CATEGORIES, "category_created",
                key(ResourceType.CATEGORY, "shoes"),
                List.of(event("category_created", "code", "shoes",
                        "name", List.of(translation("de_DE", "Schuhe"), translation("en_GB", "Shoes")))),
                PlanReason.created(), shoes));
    }

    @Test
    void category_whenTranslationAdded_plansCategoryNameChangedWithTheWholeNewName() {
        Category translated = new Category("shoes", names("en_GB", "Shoes", "de_DE", "Schuhe", "fr_FR", "Chaussures"));

        assertThat(incremental(translated, delivered(shoes))).containsExactly(new PlannedEntry(Phase.CATEGORIES,
                "category_updated", key(ResourceType.CATEGORY, "shoes"),
                List.of(event("category_name_changed", "name", List.of(translation("de_DE", "Schuhe"),
                        translation("en_GB", "Shoes"), translation("fr_FR", "Chaussures")))),
                PlanReason.changed(List.of("name")), translated));
    }

    @Test
    void category_whenUnchanged_plansNothing() {
        assertThat(incremental(new Category("shoes", names("de_DE", "Schuhe", "en_GB", "Shoes")), delivered(shoes))).isEmpty();
    }

    @Test
    void category_whenGoneFromTheSnapshot_plansCategoryDeletedWithNoEvents() {
        assertThat(detector.plan(shoes.key(), null, delivered(shoes), SyncMode.INCREMENTAL)).containsExactly(new PlannedEntry(
                Phase.CATEGORIES, "category_deleted", key(ResourceType.CATEGORY, "shoes"), List.of(), PlanReason.deleted(), null));
    }

    @Test
    void category_whenFullRunAndUnchanged_plansCategoryUpdatedWithItsWholeName() {
        PlannedEntry entry = single(detector.plan(shoes.key(), shoes, delivered(shoes), SyncMode.FULL));

        assertThat(entry).isEqualTo(new PlannedEntry(Phase.CATEGORIES, "category_updated", key(ResourceType.CATEGORY, "shoes"),
                List.of(event("category_name_changed",
                        "name", List.of(translation("de_DE", "Schuhe"), translation("en_GB", "Shoes")))),
                PlanReason.fullRun(), shoes));
    }

    // ---- products: the products phase ------------------------------------------------------------

    private final Product boot = product("SKU-1", "SIMPLE")
            .categories("shoes", "winter")
            .value("description", "en_GB", "Warm", "de_DE", "Warm")
            .value("color", "", "red")
            .value("weight", "", new BigDecimal("1.5"))
            .build();

    @Test
    void product_whenNew_plansProductCreatedWithEveryValueAndCategory() {
        assertThat(incremental(boot, Baseline.NONE)).containsExactly(new PlannedEntry(Phase.PRODUCTS, "product_created",
                key(ResourceType.PRODUCT, "SKU-1"),
                List.of(
                        event("product_created", "sku", "SKU-1", "type", "SIMPLE"),
                        event("product_value_added", "attribute_code", "color", "translations", List.of(translation(null, "red"))),
                        event("product_value_added", "attribute_code", "description",
                                "translations", List.of(translation("de_DE", "Warm"), translation("en_GB", "Warm"))),
                        event("product_value_added", "attribute_code", "weight",
                                "translations", List.of(translation(null, new BigDecimal("1.5")))),
                        event("product_added_to_category", "category_code", "shoes"),
                        event("product_added_to_category", "category_code", "winter")),
                PlanReason.created(), boot));
    }

    @Test
    void product_whenOneTranslationChanges_plansValueChangedWithThatLanguageOnly() {
        Product changed = builderOf(boot).value("description", "en_GB", "Warm", "de_DE", "Sehr warm").build();

        assertThat(incremental(changed, delivered(boot))).containsExactly(new PlannedEntry(Phase.PRODUCTS, "product_updated",
                key(ResourceType.PRODUCT, "SKU-1"),
                List.of(event("product_value_changed", "attribute_code", "description",
                        "translations", List.of(translation("de_DE", "Sehr warm")))),
                PlanReason.changed(List.of("values.description")), changed));
    }

    @Test
    void product_whenTranslationAddedToAValueTheAppHas_plansValueChangedWithTheNewLanguageOnly() {
        Product changed = builderOf(boot).value("description", "en_GB", "Warm", "de_DE", "Warm", "pl_PL", "Ciepły").build();

        assertThat(single(incremental(changed, delivered(boot))).events()).containsExactly(event("product_value_changed",
                "attribute_code", "description", "translations", List.of(translation("pl_PL", "Ciepły"))));
    }

    @Test
    void product_whenNotLocalizedValueChanges_plansValueChangedWithLanguageNull() {
        Product changed = builderOf(boot).value("color", "", "blue").build();

        assertThat(single(incremental(changed, delivered(boot))).events()).containsExactly(event("product_value_changed",
                "attribute_code", "color", "translations", List.of(translation(null, "blue"))));
    }

    @Test
    void product_whenValueAppears_plansValueAdded() {
        Product changed = builderOf(boot).value("material", "", List.of("leather", "wool")).build();

        assertThat(single(incremental(changed, delivered(boot))).events()).containsExactly(event("product_value_added",
                "attribute_code", "material", "translations", List.of(translation(null, List.of("leather", "wool")))));
    }

    @Test
    void product_whenValueDisappears_plansValueRemovedWithEveryLanguageItHad() {
        Product changed = builderOf(boot).remove("description").build();

        PlannedEntry entry = single(incremental(changed, delivered(boot)));

        assertThat(entry.events()).containsExactly(event("product_value_removed", "attribute_code", "description",
                "translations", List.of(translation("de_DE", "Warm"), translation("en_GB", "Warm"))));
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("values.description")));
    }

    @Test
    void product_whenNotLocalizedValueDisappears_plansValueRemovedWithLanguageNull() {
        Product changed = builderOf(boot).remove("weight").build();

        assertThat(single(incremental(changed, delivered(boot))).events()).containsExactly(event("product_value_removed",
                "attribute_code", "weight", "translations", List.of(translation(null, new BigDecimal("1.5")))));
    }

    @Test
    void product_whenOneLanguageDisappearsAndAnotherChanges_plansChangedAndRemovedForEachLanguageOnly() {
        Product changed = builderOf(boot).value("description", "en_GB", "Cosy").build();

        assertThat(single(incremental(changed, delivered(boot))).events()).containsExactly(
                event("product_value_changed", "attribute_code", "description", "translations", List.of(translation("en_GB", "Cosy"))),
                event("product_value_removed", "attribute_code", "description", "translations", List.of(translation("de_DE", "Warm"))));
    }

    @Test
    void product_whenMovedToAnotherCategory_plansAddedToTheNewAndRemovedFromTheOld() {
        Product moved = builderOf(boot).categories("shoes", "sale").build();

        PlannedEntry entry = single(incremental(moved, delivered(boot)));

        assertThat(entry.events()).containsExactly(
                event("product_added_to_category", "category_code", "sale"),
                event("product_removed_from_category", "category_code", "winter"));
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("categories")));
    }

    @Test
    void product_whenBindingsChange_plansBindingAddedAndRemoved() {
        Product variable = product("SKU-V", "VARIABLE").bindings("color", "size").build();
        Product rebound = product("SKU-V", "VARIABLE").bindings("size", "material").build();

        PlannedEntry entry = single(incremental(rebound, delivered(variable)));

        assertThat(entry.phase()).isEqualTo(Phase.PRODUCTS);
        assertThat(entry.events()).containsExactly(
                event("product_binding_added", "attribute_code", "material"),
                event("product_binding_removed", "attribute_code", "color"));
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("bindings")));
    }

    @Test
    void product_whenSeveralThingsChange_namesEachChangedFieldInTheReason() {
        Product changed = builderOf(boot).value("color", "", "blue").remove("weight").categories("shoes").build();

        assertThat(single(incremental(changed, delivered(boot))).reason())
                .isEqualTo(PlanReason.changed(List.of("values.color", "values.weight", "categories")));
    }

    @Test
    void product_whenUnchanged_plansNothing() {
        Product same = product("SKU-1", "SIMPLE").categories("winter", "shoes").value("weight", "", new BigDecimal("1.5"))
                .value("color", "", "red").value("description", "de_DE", "Warm", "en_GB", "Warm").build();

        assertThat(incremental(same, delivered(boot))).isEmpty();
    }

    @Test
    void product_whenGoneFromTheSnapshot_plansProductDeletedWithNoEvents() {
        List<PlannedEntry> entries = detector.plan(boot.key(), null, delivered(boot), SyncMode.INCREMENTAL);

        assertThat(entries).containsExactly(new PlannedEntry(Phase.PRODUCTS, "product_deleted",
                key(ResourceType.PRODUCT, "SKU-1"), List.of(), PlanReason.deleted(), null));
        assertThat(entries.getFirst().isDeletion()).isTrue();
    }

    @Test
    void product_whenGoneButTheAppNeverHadIt_plansNothing() {
        assertThat(detector.plan(boot.key(), null, Baseline.NONE, SyncMode.INCREMENTAL)).isEmpty();
    }

    @Test
    void product_whenFullRunAndUnchanged_plansProductUpdatedWithEveryValueAsChangedAndEveryCategoryAsAdded() {
        PlannedEntry entry = single(detector.plan(boot.key(), boot, delivered(boot), SyncMode.FULL));

        assertThat(entry.event()).isEqualTo("product_updated");
        assertThat(entry.reason()).isEqualTo(PlanReason.fullRun());
        assertThat(entry.events()).containsExactly(
                event("product_value_changed", "attribute_code", "color", "translations", List.of(translation(null, "red"))),
                event("product_value_changed", "attribute_code", "description",
                        "translations", List.of(translation("de_DE", "Warm"), translation("en_GB", "Warm"))),
                event("product_value_changed", "attribute_code", "weight",
                        "translations", List.of(translation(null, new BigDecimal("1.5")))),
                event("product_added_to_category", "category_code", "shoes"),
                event("product_added_to_category", "category_code", "winter"));
    }

    @Test
    void product_whenFullRunAfterAValueALanguageACategoryAndABindingWentAway_alsoRemovesThemFromTheApp() {
        Product before = builderOf(boot).bindings("size").build();
        Product after = builderOf(boot).remove("weight").value("description", "en_GB", "Warm").categories("shoes").build();

        PlannedEntry entry = single(detector.plan(after.key(), after, delivered(before), SyncMode.FULL));

        assertThat(entry.event()).isEqualTo("product_updated");
        assertThat(entry.events()).containsExactly(
                event("product_value_changed", "attribute_code", "color", "translations", List.of(translation(null, "red"))),
                event("product_value_changed", "attribute_code", "description", "translations", List.of(translation("en_GB", "Warm"))),
                event("product_added_to_category", "category_code", "shoes"),
                event("product_value_removed", "attribute_code", "description", "translations", List.of(translation("de_DE", "Warm"))),
                event("product_value_removed", "attribute_code", "weight",
                        "translations", List.of(translation(null, new BigDecimal("1.5")))),
                event("product_removed_from_category", "category_code", "winter"),
                event("product_binding_removed", "attribute_code", "size"));
        assertThat(entry.state()).isEqualTo(after);
    }

    @Test
    void product_whenFullRunAndAppNeverHadIt_plansProductCreated() {
        PlannedEntry entry = single(detector.plan(boot.key(), boot, Baseline.NONE, SyncMode.FULL));

        assertThat(entry.event()).isEqualTo("product_created");
        assertThat(entry.reason()).isEqualTo(PlanReason.fullRun());
    }

    @Test
    void product_whenFullRunAndGone_plansProductDeleted() {
        assertThat(detector.plan(boot.key(), null, delivered(boot), SyncMode.FULL))
                .extracting(PlannedEntry::event).containsExactly("product_deleted");
    }

    // ---- products: the relations phase -----------------------------------------------------------

    private final Product variable = product("SKU-V", "VARIABLE")
            .categories("shoes")
            .bindings("size")
            .variants("SKU-V-S", "SKU-V-M")
            .value("description", "en_GB", "Boot")
            .value(RELATED, "", List.of("SKU-9"))
            .build();
    private final Product set = product("SKU-G", "GROUPING").child("SKU-1", "2").child("SKU-2", "1").build();

    @Test
    void product_whenNewWithRelations_plansProductCreatedThenProductUpdatedInTheRelationsPhase() {
        List<PlannedEntry> entries = incremental(variable, Baseline.NONE);

        assertThat(entries).extracting(PlannedEntry::phase, PlannedEntry::event)
                .containsExactly(tuple(Phase.PRODUCTS, "product_created"),
                        tuple(Phase.RELATIONS, "product_updated"));
        assertThat(entries.get(0).events()).extracting(ChangeEvent::type).containsExactly("product_created",
                "product_value_added", "product_added_to_category", "product_binding_added");
        assertThat(entries.get(1)).isEqualTo(new PlannedEntry(Phase.RELATIONS, "product_updated", key(ResourceType.PRODUCT, "SKU-V"),
                List.of(
                        event("product_variant_added", "sku", "SKU-V-M"),
                        event("product_variant_added", "sku", "SKU-V-S"),
                        event("product_value_added", "attribute_code", RELATED, "translations", List.of(translation(null, List.of("SKU-9"))))),
                PlanReason.created(), facets.relations(variable)));
    }

    @Test
    void product_whenVariantAddedAndRemoved_plansProductUpdatedInTheRelationsPhaseOnly() {
        Product changed = builderOf(variable).variants("SKU-V-M", "SKU-V-L").build();

        assertThat(incremental(changed, delivered(variable))).containsExactly(new PlannedEntry(Phase.RELATIONS, "product_updated",
                key(ResourceType.PRODUCT, "SKU-V"),
                List.of(event("product_variant_added", "sku", "SKU-V-L"), event("product_variant_removed", "sku", "SKU-V-S")),
                PlanReason.changed(List.of("variants")), facets.relations(changed)));
    }

    @Test
    void product_whenChildAddedRequantifiedAndRemoved_plansEachChildEventWithItsQuantity() {
        Product changed = product("SKU-G", "GROUPING").child("SKU-1", "3").child("SKU-3", "0.5").build();

        PlannedEntry entry = single(incremental(changed, delivered(set)));

        assertThat(entry.phase()).isEqualTo(Phase.RELATIONS);
        assertThat(entry.event()).isEqualTo("product_updated");
        assertThat(entry.events()).containsExactly(
                event("product_child_quantity_changed", "sku", "SKU-1", "quantity", new BigDecimal("3")),
                event("product_child_added", "sku", "SKU-3", "quantity", new BigDecimal("0.5")),
                event("product_child_removed", "sku", "SKU-2"));
        assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("children")));
    }

    @Test
    void product_whenNumbersAreOnlyWrittenDifferently_plansNothing() {
        Product priced = builderOf(boot).value("price", "", Map.of("EUR", new BigDecimal("19.9"), "tiers", List.of(new BigDecimal("1"))))
                .build();
        Product reformatted = builderOf(boot).value("weight", "", new BigDecimal("1.50"))
                .value("price", "", Map.of("EUR", new BigDecimal("19.90"), "tiers", List.of(new BigDecimal("1.0")))).build();

        assertThat(incremental(reformatted, delivered(priced))).isEmpty();
    }

    @Test
    void product_whenANumberChanges_sendsItWithTheDigitsThePimWrote() {
        Product changed = builderOf(boot).value("weight", "", new BigDecimal("2.50")).build();

        PlannedEntry entry = single(incremental(changed, delivered(boot)));

        assertThat(entry.events()).containsExactly(
                event("product_value_changed", "attribute_code", "weight", "translations", List.of(translation(null, new BigDecimal("2.50")))));
        Object sent = ((List<?>) entry.events().getFirst().payload().get("translations")).stream()
                .map(translation -> ((Map<?, ?>) translation).get("value")).findFirst().orElseThrow();
        assertThat(sent).hasToString("2.50");
        assertThat(entry.state()).isEqualTo(changed);
    }

    @Test
    void product_whenChildQuantityIsWrittenDifferentlyButEqual_plansNothing() {
        Product same = product("SKU-G", "GROUPING").child("SKU-1", "2.00").child("SKU-2", "1.0").build();

        assertThat(incremental(same, delivered(set))).isEmpty();
    }

    @Test
    void product_whenRelationValueChanges_plansValueChangedAsProductUpdatedInTheRelationsPhase() {
        Product changed = builderOf(variable).value(RELATED, "", List.of("SKU-9", "SKU-8")).build();

        assertThat(incremental(changed, delivered(variable))).containsExactly(new PlannedEntry(Phase.RELATIONS, "product_updated",
                key(ResourceType.PRODUCT, "SKU-V"),
                List.of(event("product_value_changed", "attribute_code", RELATED,
                        "translations", List.of(translation(null, List.of("SKU-9", "SKU-8"))))),
                PlanReason.changed(List.of("values." + RELATED)), facets.relations(changed)));
    }

    @Test
    void product_whenRelationValueRemoved_plansValueRemovedInTheRelationsPhase() {
        Product changed = builderOf(variable).remove(RELATED).build();

        PlannedEntry entry = single(incremental(changed, delivered(variable)));

        assertThat(entry.phase()).isEqualTo(Phase.RELATIONS);
        assertThat(entry.events()).containsExactly(event("product_value_removed", "attribute_code", RELATED,
                "translations", List.of(translation(null, List.of("SKU-9")))));
    }

    @Test
    void product_whenRelationValueAddedToAProductTheAppHas_plansValueAddedInTheRelationsPhase() {
        Product plain = builderOf(variable).remove(RELATED).build();

        PlannedEntry entry = single(incremental(variable, delivered(plain)));

        assertThat(entry.phase()).isEqualTo(Phase.RELATIONS);
        assertThat(entry.events()).containsExactly(event("product_value_added", "attribute_code", RELATED,
                "translations", List.of(translation(null, List.of("SKU-9")))));
    }

    @Test
    void product_whenOnlyAValueChanges_plansNoRelationsEntry() {
        Product changed = builderOf(variable).value("description", "en_GB", "Tall boot").build();

        assertThat(incremental(changed, delivered(variable))).extracting(PlannedEntry::phase).containsExactly(Phase.PRODUCTS);
    }

    @Test
    void product_keepsRelationsOutOfTheProductsPhaseAndTheRestOutOfTheRelationsPhase() {
        List<PlannedEntry> entries = incremental(variable, Baseline.NONE);
        Product core = (Product) entries.get(0).state();
        Product relations = (Product) entries.get(1).state();

        assertThat(entries.get(0).events()).noneMatch(event -> RELATED.equals(event.payload().get("attribute_code")));
        assertThat(core.values()).containsOnlyKeys("description");
        assertThat(core.variants()).isEmpty();
        assertThat(core.bindings()).containsExactly("size");
        assertThat(relations.values()).containsOnlyKeys(RELATED);
        assertThat(relations.variants()).containsExactly("SKU-V-M", "SKU-V-S");
        assertThat(relations.categories()).isEmpty();
        assertThat(relations.bindings()).isEmpty();
    }

    @Test
    void product_whenOnlyTheProductsPartWasDelivered_sendsTheRelationsAgainButNotTheProduct() {
        // The products entry succeeded, the relations entry failed: only the relations part is still owed.
        Baseline halfDelivered = new Baseline(facets.core(variable), null);

        List<PlannedEntry> entries = incremental(variable, halfDelivered);

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.phase()).isEqualTo(Phase.RELATIONS);
            assertThat(entry.events()).extracting(ChangeEvent::type)
                    .containsExactly("product_variant_added", "product_variant_added", "product_value_added");
            assertThat(entry.reason()).isEqualTo(PlanReason.changed(List.of("variants", "values." + RELATED)));
        });
    }

    @Test
    void product_whenFullRun_plansTheWholeRelationsAgain_withTheRelationValuesTheAppHasAsChanged() {
        List<PlannedEntry> entries = detector.plan(variable.key(), variable, delivered(variable), SyncMode.FULL);

        assertThat(entries).extracting(PlannedEntry::phase, PlannedEntry::event, entry -> entry.reason().kind())
                .containsExactly(
                        tuple(Phase.PRODUCTS, "product_updated", PlanReason.Kind.FULL_RUN),
                        tuple(Phase.RELATIONS, "product_updated", PlanReason.Kind.FULL_RUN));
        assertThat(entries.get(1).events()).containsExactly(
                event("product_variant_added", "sku", "SKU-V-M"),
                event("product_variant_added", "sku", "SKU-V-S"),
                event("product_value_changed", "attribute_code", RELATED, "translations", List.of(translation(null, List.of("SKU-9")))));
    }

    @Test
    void product_whenFullRunAfterEveryRelationWentAway_plansTheirRemovalInTheRelationsPhase() {
        Product before = product("SKU-G", "GROUPING").child("SKU-1", "2").variants("SKU-X").value(RELATED, "", List.of("SKU-9")).build();
        Product after = product("SKU-G", "GROUPING").build();

        List<PlannedEntry> entries = detector.plan(after.key(), after, delivered(before), SyncMode.FULL);

        assertThat(entries).extracting(PlannedEntry::phase).containsExactly(Phase.PRODUCTS, Phase.RELATIONS);
        assertThat(entries.get(1)).isEqualTo(new PlannedEntry(Phase.RELATIONS, "product_updated", key(ResourceType.PRODUCT, "SKU-G"),
                List.of(
                        event("product_variant_removed", "sku", "SKU-X"),
                        event("product_child_removed", "sku", "SKU-1"),
                        event("product_value_removed", "attribute_code", RELATED, "translations",
                                List.of(translation(null, List.of("SKU-9"))))),
                PlanReason.fullRun(), facets.relations(after)));
    }

    @Test
    void product_whenGoneWithItsRelations_plansOnlyProductDeleted() {
        assertThat(detector.plan(variable.key(), null, delivered(variable), SyncMode.INCREMENTAL))
                .extracting(PlannedEntry::phase, PlannedEntry::event)
                .containsExactly(tuple(Phase.PRODUCTS, "product_deleted"));
    }

    // ---- support ----------------------------------------------------------------------------------

    private List<PlannedEntry> incremental(Resource current, Baseline baseline) {
        return detector.plan(current.key(), current, baseline, SyncMode.INCREMENTAL);
    }

    /** What the App holds after every entry for {@code resource} succeeded. */
    private Baseline delivered(Resource resource) {
        if (resource instanceof Product product) {
            return new Baseline(facets.core(product), facets.hasRelations(product) ? facets.relations(product) : null);
        }
        return new Baseline(resource, null);
    }

    private static PlannedEntry single(List<PlannedEntry> entries) {
        assertThat(entries).hasSize(1);
        return entries.getFirst();
    }

    private static ResourceKey key(ResourceType type, String id) {
        return new ResourceKey(type, id);
    }

    private static ChangeEvent event(String type, Object... keysAndValues) {
        return new ChangeEvent(type, map(keysAndValues));
    }

    /** {@code {language, value}}; language null for a value that is not localized. */
    private static Map<String, Object> translation(String language, Object value) {
        return map("language", language, "value", value);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static SortedMap<String, String> names(String... languagesAndTexts) {
        SortedMap<String, String> names = new TreeMap<>();
        for (int i = 0; i < languagesAndTexts.length; i += 2) {
            names.put(languagesAndTexts[i], languagesAndTexts[i + 1]);
        }
        return names;
    }

    private static Attribute.Option option(String code, String... languagesAndTexts) {
        return new Attribute.Option(code, names(languagesAndTexts));
    }

    private static ProductBuilder product(String sku, String type) {
        return new ProductBuilder(sku, type);
    }

    /** Builds products for the tests; every call replaces what it sets. */
    private static final class ProductBuilder {

        private final String sku;
        private final String type;
        private final TreeSet<String> categories = new TreeSet<>();
        private final TreeMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        private final TreeSet<String> variants = new TreeSet<>();
        private final TreeSet<String> bindings = new TreeSet<>();
        private final TreeMap<String, BigDecimal> children = new TreeMap<>();

        ProductBuilder(String sku, String type) {
            this.sku = sku;
            this.type = type;
        }

        ProductBuilder categories(String... codes) {
            categories.clear();
            categories.addAll(List.of(codes));
            return this;
        }

        ProductBuilder value(String attribute, Object... languagesAndValues) {
            SortedMap<String, Object> byLanguage = new TreeMap<>();
            for (int i = 0; i < languagesAndValues.length; i += 2) {
                byLanguage.put((String) languagesAndValues[i], languagesAndValues[i + 1]);
            }
            values.put(attribute, byLanguage);
            return this;
        }

        ProductBuilder remove(String attribute) {
            values.remove(attribute);
            return this;
        }

        ProductBuilder variants(String... skus) {
            variants.clear();
            variants.addAll(List.of(skus));
            return this;
        }

        ProductBuilder bindings(String... codes) {
            bindings.clear();
            bindings.addAll(List.of(codes));
            return this;
        }

        ProductBuilder child(String childSku, String quantity) {
            children.put(childSku, new BigDecimal(quantity));
            return this;
        }

        Product build() {
            return new Product(sku, type, categories, values, variants, bindings, children);
        }
    }

    /** Starts a builder from an existing product, so a test states only what it changes. */
    private static ProductBuilder builderOf(Product product) {
        ProductBuilder builder = new ProductBuilder(product.sku(), product.productType());
        builder.categories.addAll(product.categories());
        builder.values.putAll(product.values());
        builder.variants.addAll(product.variants());
        builder.bindings.addAll(product.bindings());
        builder.children.putAll(product.children());
        return builder;
    }
}
