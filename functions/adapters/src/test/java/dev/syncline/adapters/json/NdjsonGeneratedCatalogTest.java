package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.plan.Baseline;
import dev.syncline.core.plan.ChangeDetector;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.plan.Facets;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.catalog.CatalogEdit;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated catalogs that tests and benchmarks feed the engine are valid snapshots, survive the delivered-state
 * round trip, and their reported edits are exactly what the change detector then plans.
 */
class NdjsonGeneratedCatalogTest {

    @Test
    void read_generatedGzipCatalog_acceptsEveryLine(@TempDir Path directory) throws IOException {
        CatalogGenerator catalog = CatalogGenerator.create(21, 5_000);
        Path file = directory.resolve("catalog.ndjson.gz");
        catalog.writeTo(file);

        List<SnapshotLine> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); NdjsonSnapshotReader reader = new NdjsonSnapshotReader(in)) {
            reader.forEachRemaining(lines::add);
        }

        assertThat(lines).hasSize((int) catalog.lineCount()).allMatch(SnapshotLine.Accepted.class::isInstance);
    }

    @Test
    void writeThenRead_generatedCatalog_givesEqualResources() {
        List<Resource> resources = List.copyOf(resources(CatalogGenerator.create(22, 2_000)).values());

        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        try (NdjsonResourceWriter writer = NdjsonResourceWriter.gzip(rewritten)) {
            resources.forEach(writer::write);
        }

        assertThat(List.copyOf(resources(rewritten.toByteArray()).values())).isEqualTo(resources);
    }

    @Test
    void plan_betweenAGeneratedSnapshotAndItsEdit_plansExactlyTheReportedEdits() {
        CatalogGenerator base = CatalogGenerator.create(23, 3_000);
        CatalogGenerator next = base.edit().changeTranslations(4).addOptions(2).moveProducts(4).removeValues(4).deleteProducts(3).apply();
        Map<ResourceKey, Resource> before = resources(base);
        Map<ResourceKey, Resource> after = resources(next);
        Facets facets = new Facets(Set.of(CatalogGenerator.RELATION_ATTRIBUTE));
        ChangeDetector detector = new ChangeDetector(facets);

        Map<ResourceKey, List<PlannedEntry>> planned = new LinkedHashMap<>();
        Set<ResourceKey> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (ResourceKey key : keys) {
            List<PlannedEntry> entries = detector.plan(key, after.get(key), delivered(facets, before.get(key)), SyncMode.INCREMENTAL);
            if (!entries.isEmpty()) {
                planned.put(key, entries);
            }
        }

        assertThat(planned.keySet()).containsExactlyInAnyOrderElementsOf(
                next.edits().stream().map(NdjsonGeneratedCatalogTest::key).toList());
        for (CatalogEdit edit : next.edits()) {
            List<PlannedEntry> entries = planned.get(key(edit));
            assertThat(entries).hasSize(1);
            PlannedEntry entry = entries.getFirst();
            List<ChangeEvent> events = entry.events();
            switch (edit) {
                case CatalogEdit.TranslationChanged changed -> assertThat(events).containsExactly(new ChangeEvent(
                        "product_value_changed", Map.of("attribute_code", "name",
                                "translations", List.of(Map.of("language", changed.language(), "value", changed.after())))));
                case CatalogEdit.OptionAdded added -> {
                    assertThat(entry.event()).isEqualTo("attribute_updated");
                    assertThat(events).singleElement().satisfies(event -> {
                        assertThat(event.type()).isEqualTo("attribute_option_created");
                        assertThat(event.payload()).containsEntry("option_code", added.optionCode());
                    });
                }
                case CatalogEdit.ProductMoved moved -> assertThat(events).containsExactly(
                        new ChangeEvent("product_added_to_category", Map.of("category_code", moved.toCategory())),
                        new ChangeEvent("product_removed_from_category", Map.of("category_code", moved.fromCategory())));
                case CatalogEdit.ValueRemoved removed -> {
                    assertThat(events).singleElement().satisfies(event -> {
                        assertThat(event.type()).isEqualTo("product_value_removed");
                        assertThat(event.payload()).containsEntry("attribute_code", removed.attributeCode());
                    });
                }
                case CatalogEdit.ProductDeleted deleted -> {
                    assertThat(entry.phase()).isEqualTo(Phase.PRODUCTS);
                    assertThat(entry.event()).isEqualTo("product_deleted");
                    assertThat(events).isEmpty();
                }
            }
        }
    }

    private static ResourceKey key(CatalogEdit edit) {
        return new ResourceKey(edit.resourceType().equals("attribute") ? ResourceType.ATTRIBUTE : ResourceType.PRODUCT, edit.resourceId());
    }

    private static Baseline delivered(Facets facets, Resource resource) {
        if (resource == null) {
            return Baseline.NONE;
        }
        if (resource instanceof Product product) {
            return new Baseline(facets.core(product), facets.hasRelations(product) ? facets.relations(product) : null);
        }
        return new Baseline(resource, null);
    }

    private static Map<ResourceKey, Resource> resources(CatalogGenerator catalog) {
        return resources(catalog.toBytes());
    }

    private static Map<ResourceKey, Resource> resources(byte[] snapshot) {
        Map<ResourceKey, Resource> resources = new LinkedHashMap<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(snapshot))) {
            reader.forEachRemaining(line -> {
                assertThat(line).isInstanceOf(SnapshotLine.Accepted.class);
                Resource resource = ((SnapshotLine.Accepted) line).resource();
                resources.put(resource.key(), resource);
            });
        }
        return resources;
    }
}
