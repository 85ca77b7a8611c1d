package dev.syncline.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final UUID INSTALLATION = UUID.randomUUID();
    private static final Set<String> ALL_EVENTS = Set.of("attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted");

    private final Map<String, List<SnapshotLine>> snapshots = new HashMap<>();
    private final FakeState state = new FakeState();
    private final FakePlanWriter writer = new FakePlanWriter();
    private final Planner planner = new Planner(
            (installation, snapshotId) -> lines(snapshots.get(snapshotId)),
            state,
            FakeSpill::new,
            writer);

    private static Attribute related() {
        return new Attribute("related", "PRODUCT_RELATION", "global", new TreeMap<>(Map.of("en_GB", "Related")), List.of());
    }

    private static Category shoes() {
        return new Category("shoes", new TreeMap<>(Map.of("en_GB", "Shoes")));
    }

    private static Product product(String sku, String colour, String... related) {
        TreeMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        values.put("colour", new TreeMap<>(Map.of("", colour)));
        if (related.length > 0) {
            values.put("related", new TreeMap<>(Map.of("", List.of(related))));
        }
        return new Product(sku, "SIMPLE", new TreeSet<>(Set.of("shoes")), values, new TreeSet<>(), new TreeSet<>(),
                new TreeMap<String, BigDecimal>());
    }

    private static List<SnapshotLine> snapshot(Resource... resources) {
        List<SnapshotLine> lines = new ArrayList<>();
        for (Resource resource : resources) {
            lines.add(new SnapshotLine.Accepted(lines.size() + 1, resource));
        }
        return lines;
    }

    private List<PlannedEntry> run(String snapshotId, List<SnapshotLine> lines, SyncMode mode, Set<String> events) {
        snapshots.put(snapshotId, lines);
        writer.entries.clear();
        writer.rejected.clear();
        planner.plan(new PlanRequest(UUID.randomUUID(), INSTALLATION, snapshotId, mode, events));
        // Everything the App received succeeds: the delivered state moves as a worker would move it.
        for (PlannedEntry entry : writer.entries) {
            state.deliver(entry);
        }
        return List.copyOf(writer.entries);
    }

    @Test
    void firstRun_plansEveryResourceInItsPhase_andRelationsApart() {
        List<PlannedEntry> entries = run("s1", snapshot(related(), shoes(), product("SKU-1", "red", "SKU-2"), product("SKU-2", "blue")),
                SyncMode.INCREMENTAL, ALL_EVENTS);

        assertThat(entries).extracting(PlannedEntry::phase, PlannedEntry::event, e -> e.resource().id()).containsExactlyInAnyOrder(
                tuple(Phase.ATTRIBUTES, "attribute_created", "related"),
                tuple(Phase.CATEGORIES, "category_created", "shoes"),
                tuple(Phase.PRODUCTS, "product_created", "SKU-1"),
                tuple(Phase.PRODUCTS, "product_created", "SKU-2"),
                tuple(Phase.RELATIONS, "product_updated", "SKU-1"));
        PlannedEntry created = entries.stream()
                .filter(e -> e.event().equals("product_created") && e.resource().id().equals("SKU-1"))
                .findFirst()
                .orElseThrow();
        assertThat(created.events()).extracting(ChangeEvent::type)
                .containsExactly("product_created", "product_value_added", "product_added_to_category");
        assertThat(created.events().get(1).payload()).containsEntry("attribute_code", "colour");
    }

    @Test
    void unchangedSnapshot_plansNothing() {
        List<SnapshotLine> lines = snapshot(related(), shoes(), product("SKU-1", "red", "SKU-2"), product("SKU-2", "blue"));
        run("s1", lines, SyncMode.INCREMENTAL, ALL_EVENTS);

        assertThat(run("s2", lines, SyncMode.INCREMENTAL, ALL_EVENTS)).isEmpty();
    }

    @Test
    void fullRun_plansEverythingAgainAsUpdates() {
        List<SnapshotLine> lines = snapshot(shoes(), product("SKU-1", "red"));
        run("s1", lines, SyncMode.INCREMENTAL, ALL_EVENTS);

        assertThat(run("s2", lines, SyncMode.FULL, ALL_EVENTS)).extracting(PlannedEntry::event)
                .containsExactlyInAnyOrder("category_updated", "product_updated");
    }

    @Test
    void goneResource_isPlannedAsDeletion_butARejectedLineIsNot() {
        run("s1", snapshot(shoes(), product("SKU-1", "red"), product("SKU-2", "blue")), SyncMode.INCREMENTAL, ALL_EVENTS);
        List<SnapshotLine> next = new ArrayList<>(snapshot(shoes()));
        next.add(new SnapshotLine.Rejected(2, "values.colour must be an object", new ResourceKey(ResourceType.PRODUCT, "SKU-1")));

        List<PlannedEntry> entries = run("s2", next, SyncMode.INCREMENTAL, ALL_EVENTS);

        assertThat(entries).extracting(PlannedEntry::event, e -> e.resource().id()).containsExactly(tuple("product_deleted", "SKU-2"));
        assertThat(entries.getFirst().events()).isEmpty();
        assertThat(writer.rejected).extracting(SnapshotLine.Rejected::lineNumber).containsExactly(2L);
    }

    @Test
    void duplicateSku_isRejectedNamingTheFirstLine_andTheFirstOneIsPlanned() {
        List<PlannedEntry> entries = run("s1", snapshot(product("SKU-1", "red"), shoes(), product("SKU-1", "green")),
                SyncMode.INCREMENTAL, ALL_EVENTS);

        assertThat(writer.rejected).singleElement().satisfies(rejected -> {
            assertThat(rejected.lineNumber()).isEqualTo(3);
            assertThat(rejected.reason()).isEqualTo("duplicate product SKU-1: it is already on line 1; a snapshot holds each resource once");
        });
        PlannedEntry planned = entries.stream().filter(e -> e.resource().id().equals("SKU-1")).findFirst().orElseThrow();
        assertThat(((Product) planned.state()).values().get("colour")).containsEntry("", "red");
    }

    @Test
    void snapshotWithNoAcceptedLine_failsInsteadOfDeletingWhatTheAppHolds() {
        run("s1", snapshot(shoes(), product("SKU-1", "red")), SyncMode.INCREMENTAL, ALL_EVENTS);
        List<SnapshotLine> broken = List.of(new SnapshotLine.Rejected(1, "invalid JSON at column 1", null),
                new SnapshotLine.Rejected(2, "invalid JSON at column 1", null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("s2", broken, SyncMode.INCREMENTAL, ALL_EVENTS))
                .isInstanceOf(SnapshotUnreadableException.class)
                .hasMessageContaining("not one line of the snapshot was accepted (2 rejected; line 1: invalid JSON at column 1)");
        assertThat(writer.entries).noneMatch(PlannedEntry::isDeletion);
    }

    @Test
    void totals_countTheDeletionsAndWhatTheAppHeld_forTheDeletionGuard() {
        run("s1", snapshot(shoes(), product("SKU-1", "red"), product("SKU-2", "blue")), SyncMode.INCREMENTAL, ALL_EVENTS);
        snapshots.put("s2", snapshot(shoes(), product("SKU-1", "red")));

        PlanTotals totals = planner.plan(new PlanRequest(UUID.randomUUID(), INSTALLATION, "s2", SyncMode.INCREMENTAL, ALL_EVENTS));

        assertThat(totals.deletions()).isEqualTo(1);
        assertThat(totals.held()).isEqualTo(3);
    }

    @Test
    void emptySnapshot_failsInsteadOfDeletingWhatTheAppHolds() {
        run("s1", snapshot(shoes(), product("SKU-1", "red")), SyncMode.INCREMENTAL, ALL_EVENTS);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("s2", List.of(), SyncMode.INCREMENTAL, ALL_EVENTS))
                .isInstanceOf(SnapshotUnreadableException.class)
                .hasMessageContaining("the snapshot is empty");
        assertThat(writer.entries).noneMatch(PlannedEntry::isDeletion);
    }

    @Test
    void unsubscribedEvents_areNotPlanned() {
        List<PlannedEntry> entries = run("s1", snapshot(related(), shoes(), product("SKU-1", "red", "SKU-2")), SyncMode.INCREMENTAL,
                Set.of("product_created"));

        assertThat(entries).extracting(PlannedEntry::event).containsExactly("product_created");
    }

    // ---- the "included with" table -----------------------------------------------------------------

    private static final Path GUIDE = Path.of("../../docs/app-developer-guide.md");

    @Test
    void everyRequestOfEveryKindOfRun_carriesOnlyTheChangeTypesTheIncludedWithTableAllows() throws IOException {
        Map<String, String> documented = documentedIncludedWith();
        // The planner's table is the documented one, type for type.
        Map<String, String> encoded = new TreeMap<>();
        IncludedWith.table().forEach((type, requests) -> encoded.put(type, requests.name().toLowerCase(Locale.ROOT)));
        assertThat(encoded).isEqualTo(documented);

        Attribute size = attribute("size", "SELECT", "Size", option("s", "Small"), option("m", "Medium"));
        List<PlannedEntry> sent = new ArrayList<>();
        // Everything is new: attributes with options, categories, products with values, categories, bindings,
        // variants, children and relation values.
        sent.addAll(run("created", snapshot(
                attribute("color", "SELECT", "Color", option("red", "Red"), option("blue", "Blue"), option("green", "Green")),
                related(), shoes(), new Category("boots", new TreeMap<>(Map.of("en_GB", "Boots"))),
                item("SKU-V", "VARIABLE", Set.of("shoes"), Set.of("size", "color"), Set.of("SKU-S", "SKU-M"), Map.of(),
                        "color", Map.of("", "red"), "description", Map.of("en_GB", "Boot", "de_DE", "Stiefel"),
                        "related", Map.of("", List.of("SKU-G"))),
                item("SKU-G", "GROUPING", Set.of(), Set.of(), Set.of(), Map.of("SKU-S", "2", "SKU-M", "1")),
                item("SKU-S", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of()),
                item("SKU-M", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of())),
                SyncMode.INCREMENTAL, ALL_EVENTS));
        // Every kind of change: names, options renamed, recoded, deleted and created, values changed and removed,
        // categories, bindings, variants and children moved, relation values gone.
        List<SnapshotLine> changed = snapshot(
                attribute("color", "SELECT", "Colour", option("red", "Bright red"), option("navy", "Blue"), option("yellow", "Yellow")),
                related(), new Category("shoes", new TreeMap<>(Map.of("en_GB", "Footwear"))),
                new Category("boots", new TreeMap<>(Map.of("en_GB", "Boots"))),
                item("SKU-V", "VARIABLE", Set.of("boots"), Set.of("size"), Set.of("SKU-S"), Map.of(),
                        "color", Map.of("", "blue"), "description", Map.of("en_GB", "Boot")),
                item("SKU-G", "GROUPING", Set.of(), Set.of(), Set.of(), Map.of("SKU-S", "3", "SKU-X", "1")),
                item("SKU-S", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of()),
                item("SKU-M", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of()),
                item("SKU-X", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of()));
        sent.addAll(run("changed", changed, SyncMode.INCREMENTAL, ALL_EVENTS));
        // A full run of what the App has, with removals again (an option, a category, a binding, a variant, a child,
        // a value), a resource it never had (size) and one gone from the catalog (SKU-M).
        sent.addAll(run("full", snapshot(
                attribute("color", "SELECT", "Colour", option("red", "Bright red")), related(), size,
                new Category("shoes", new TreeMap<>(Map.of("en_GB", "Footwear"))),
                item("SKU-V", "VARIABLE", Set.of(), Set.of(), Set.of(), Map.of(), "description", Map.of("en_GB", "Boot")),
                item("SKU-G", "GROUPING", Set.of(), Set.of(), Set.of(), Map.of("SKU-S", "3")),
                item("SKU-S", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of()),
                item("SKU-X", "SIMPLE", Set.of(), Set.of(), Set.of(), Map.of())),
                SyncMode.FULL, ALL_EVENTS));
        // A full run that finds everything as it is, then a catalog of one other category: everything else deleted (an
        // empty snapshot is refused before planning).
        sent.addAll(run("full again", snapshot(size, shoes()), SyncMode.FULL, ALL_EVENTS));
        sent.addAll(run("emptied", snapshot(new Category("outlet", new TreeMap<>(Map.of("en_GB", "Outlet")))), SyncMode.INCREMENTAL,
                ALL_EVENTS));

        for (PlannedEntry entry : sent) {
            String resource = entry.event().substring(0, entry.event().lastIndexOf('_'));
            String kind = entry.event().substring(entry.event().lastIndexOf('_') + 1);
            if (kind.equals("deleted")) {
                assertThat(entry.events()).as(entry.event() + " " + entry.resource().id()).isEmpty();
            }
            for (ChangeEvent event : entry.events()) {
                assertThat(event.type()).as("a change of %s in %s", entry.resource().id(), entry.event()).startsWith(resource + "_");
                assertThat(documented.get(event.type())).as("%s in %s of %s", event.type(), entry.event(), entry.resource().id())
                        .isIn("both", kind);
            }
        }
        // The runs above reached every request and every change type the protocol has.
        assertThat(sent).extracting(PlannedEntry::event).containsAll(ALL_EVENTS);
        assertThat(sent.stream().flatMap(entry -> entry.events().stream()).map(ChangeEvent::type).distinct())
                .containsExactlyInAnyOrderElementsOf(documented.keySet());
        // A full run of resources the App holds reached the update types that replace the created ones.
        assertThat(sent).filteredOn(entry -> entry.reason().kind() == PlanReason.Kind.FULL_RUN && entry.event().endsWith("_updated"))
                .flatExtracting(PlannedEntry::events).extracting(ChangeEvent::type)
                .contains("attribute_name_changed", "attribute_option_name_changed", "category_name_changed", "product_value_changed",
                        "attribute_option_deleted", "product_removed_from_category", "product_binding_removed",
                        "product_variant_removed", "product_child_removed", "product_value_removed");
    }

    /** The "travels in" column of the guide's table of change types: type → created, updated or both. */
    private static Map<String, String> documentedIncludedWith() throws IOException {
        Map<String, String> table = new TreeMap<>();
        String guide = Files.readString(GUIDE);
        String section = guide.substring(guide.indexOf("#### Every change type"));
        Pattern row = Pattern.compile("^\\| (attribute|category|product) \\| (.+?) \\| (.+?) \\| .*\\|$", Pattern.MULTILINE);
        Matcher rows = row.matcher(section.substring(0, section.indexOf("\n## ")));
        while (rows.find()) {
            String travelsIn = switch (rows.group(3)) {
                case "`*_created` only" -> "created";
                case "`*_updated` only" -> "updated";
                case "both" -> "both";
                default -> throw new AssertionError("unknown \"travels in\": " + rows.group(3));
            };
            Matcher types = Pattern.compile("`([a-z_]+)`").matcher(rows.group(2));
            while (types.find()) {
                table.put(types.group(1), travelsIn);
            }
        }
        assertThat(table).as("the table of change types in " + GUIDE).hasSizeGreaterThan(20);
        return table;
    }

    private static Attribute attribute(String code, String type, String name, Attribute.Option... options) {
        return new Attribute(code, type, "global", new TreeMap<>(Map.of("en_GB", name)), List.of(options));
    }

    private static Attribute.Option option(String code, String name) {
        return new Attribute.Option(code, new TreeMap<>(Map.of("en_GB", name)));
    }

    /** A product; {@code values} are attribute code, {language: value} pairs; children SKU → quantity. */
    private static Product item(String sku, String type, Set<String> categories, Set<String> bindings, Set<String> variants,
            Map<String, String> children, Object... values) {
        TreeMap<String, SortedMap<String, Object>> byAttribute = new TreeMap<>();
        for (int i = 0; i < values.length; i += 2) {
            SortedMap<String, Object> byLanguage = new TreeMap<>();
            ((Map<?, ?>) values[i + 1]).forEach((language, value) -> byLanguage.put((String) language, value));
            byAttribute.put((String) values[i], byLanguage);
        }
        TreeMap<String, BigDecimal> quantities = new TreeMap<>();
        children.forEach((child, quantity) -> quantities.put(child, new BigDecimal(quantity)));
        return new Product(sku, type, new TreeSet<>(categories), byAttribute, new TreeSet<>(variants), new TreeSet<>(bindings), quantities);
    }

    // ---- fakes ------------------------------------------------------------------------------------

    private static SnapshotStore.Lines lines(List<SnapshotLine> lines) {
        Iterator<SnapshotLine> iterator = lines.iterator();
        return new SnapshotStore.Lines() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public SnapshotLine next() {
                return iterator.next();
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class FakeSpill implements ShardSpill {
        private final Map<Integer, List<Spilled>> shards = new HashMap<>();

        @Override
        public void add(int shard, Spilled record) {
            shards.computeIfAbsent(shard, s -> new ArrayList<>()).add(record);
        }

        @Override
        public Iterator<Spilled> read(int shard) {
            return shards.getOrDefault(shard, List.of()).iterator();
        }

        @Override
        public void close() {
        }
    }

    private static final class FakeState implements DeliveredState {
        private final Map<ResourceKey, Baseline> baselines = new HashMap<>();

        void deliver(PlannedEntry entry) {
            if (entry.isDeletion()) {
                baselines.remove(entry.resource());
                return;
            }
            Baseline old = baselines.getOrDefault(entry.resource(), Baseline.NONE);
            baselines.put(entry.resource(), entry.phase() == Phase.RELATIONS
                    ? new Baseline(old.primary(), (Product) entry.state())
                    : new Baseline(entry.state(), old.relations()));
        }

        @Override
        public int shards() {
            return 4;
        }

        @Override
        public Pass begin(UUID installationId, UUID runId) {
            return new Pass() {
                @Override
                public Map<ResourceKey, Baseline> shard(int shard) {
                    Map<ResourceKey, Baseline> inShard = new HashMap<>();
                    baselines.forEach((key, baseline) -> {
                        if (key.shard(4) == shard) {
                            inShard.put(key, baseline);
                        }
                    });
                    return inShard;
                }

                @Override
                public void commit() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void recordDelivered(UUID installationId, UUID runId, Phase phase, int chunk, List<Delivered> delivered) {
            throw new AssertionError("the planner never records deliveries");
        }

        @Override
        public Map<ResourceKey, Map<String, Object>> customsDelivered(UUID installationId, UUID runId, Phase phase, int chunk) {
            throw new AssertionError("the planner never reads deliveries");
        }
    }

    private static final class FakePlanWriter implements PlanWriter {
        final List<PlannedEntry> entries = new ArrayList<>();
        final List<SnapshotLine.Rejected> rejected = new ArrayList<>();

        @Override
        public Plan open(UUID runId) {
            return new Plan() {
                @Override
                public void add(PlannedEntry entry) {
                    entries.add(entry);
                }

                @Override
                public void reject(SnapshotLine.Rejected line) {
                    rejected.add(line);
                }

                @Override
                public PlanTotals finish() {
                    Map<Phase, int[]> sizes = new EnumMap<>(Phase.class);
                    for (Phase phase : Phase.values()) {
                        int count = (int) entries.stream().filter(e -> e.phase() == phase).count();
                        sizes.put(phase, count == 0 ? new int[0] : new int[] {count});
                    }
                    return new PlanTotals(sizes, rejected.size());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
