package dev.syncline.adapters.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.plan.ShardSpill;
import dev.syncline.core.plan.ShardSpill.Spilled;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskShardSpillTest {

    @TempDir
    Path base;

    @Test
    void read_returnsAShardsRecordsInTheOrderTheyWereAdded_withLineNumbersAndRejectedKeys() {
        Product boot = new Product("SKU-1", "SIMPLE", new TreeSet<>(List.of("shoes")),
                new TreeMap<>(Map.of("price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("19.9"))),
                        "name", new TreeMap<>(Map.<String, Object>of("en_GB", "Boot", "de_DE", "Stiefel")))),
                new TreeSet<>(), new TreeSet<>(), new TreeMap<>(Map.of("SKU-2", new BigDecimal("2"))));
        Category shoes = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Shoes")));
        Attribute color = new Attribute("color", "SELECT", "global", new TreeMap<>(Map.of("en_GB", "Colour")),
                List.of(new Attribute.Option("red", new TreeMap<>(Map.of("en_GB", "Red")))));
        ResourceKey broken = new ResourceKey(ResourceType.PRODUCT, "SKU-broken");

        try (ShardSpill spill = LocalDiskShardSpill.create(base)) {
            spill.add(3, Spilled.accepted(7, boot));
            spill.add(1, Spilled.accepted(8, shoes));
            spill.add(3, Spilled.rejected(9, broken));
            spill.add(3, Spilled.accepted(12, color));
            // A line number past 2^32 keeps its high bits.
            spill.add(3, Spilled.rejected(5_000_000_001L, broken));

            assertThat(list(spill.read(3))).containsExactly(
                    Spilled.accepted(7, boot), Spilled.rejected(9, broken), Spilled.accepted(12, color),
                    Spilled.rejected(5_000_000_001L, broken));
            assertThat(list(spill.read(1))).containsExactly(Spilled.accepted(8, shoes));
            assertThat(list(spill.read(0))).isEmpty();
        }
    }

    @Test
    void spill_of300000RecordsOver256Shards_keepsEveryShardsOrder_andLeavesOneFilePerNonEmptyShard() throws IOException {
        int shards = 256;
        int records = 300_000;
        LocalDiskShardSpill spill = LocalDiskShardSpill.create(base);
        long maxBuffered = 0;
        try (spill) {
            for (int line = 1; line <= records; line++) {
                ResourceKey key = new ResourceKey(ResourceType.CATEGORY, "c" + line);
                Spilled record = line % 10 == 0
                        ? Spilled.rejected(line, key)
                        : Spilled.accepted(line, new Category("c" + line, new TreeMap<>(Map.of("en_GB", "Category " + line))));
                spill.add(key.shard(shards), record);
                maxBuffered = Math.max(maxBuffered, spill.bufferedBytes());
            }

            assertThat(maxBuffered).isLessThanOrEqualTo(LocalDiskShardSpill.BUFFER_BUDGET);
            long total = 0;
            for (int shard = 0; shard < shards; shard++) {
                long previous = 0;
                for (Iterator<Spilled> it = spill.read(shard); it.hasNext(); ) {
                    Spilled record = it.next();
                    assertThat(record.lineNumber()).isGreaterThan(previous);
                    assertThat(record.key().shard(shards)).isEqualTo(shard);
                    assertThat(record.key().id()).isEqualTo("c" + record.lineNumber());
                    assertThat(record.resource() == null).isEqualTo(record.lineNumber() % 10 == 0);
                    previous = record.lineNumber();
                    total++;
                }
            }
            assertThat(total).isEqualTo(records);
            try (Stream<Path> files = Files.list(spill.directory())) {
                assertThat(files.count()).isEqualTo(shards);
            }
        }
        assertThat(spill.directory()).doesNotExist();
    }

    @Test
    void close_deletesEverySpilledFile_evenWithAShardHalfRead() {
        LocalDiskShardSpill spill = LocalDiskShardSpill.create(base);
        for (int line = 1; line <= 5_000; line++) {
            spill.add(line % 4, Spilled.accepted(line, new Category("c" + line, new TreeMap<>())));
        }
        Iterator<Spilled> halfRead = spill.read(2);
        halfRead.next();

        spill.close();

        assertThat(spill.directory()).doesNotExist();
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void add_afterTheFirstRead_isRefused() {
        try (ShardSpill spill = LocalDiskShardSpill.create(base)) {
            spill.add(0, Spilled.accepted(1, new Category("a", new TreeMap<>())));
            spill.read(0);

            assertThatThrownBy(() -> spill.add(0, Spilled.accepted(2, new Category("b", new TreeMap<>()))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void factory_givesEachPlanningPassADirectoryOfItsOwn() {
        try (ShardSpill first = LocalDiskShardSpill.factory(base).get();
                ShardSpill second = LocalDiskShardSpill.factory(base).get()) {
            first.add(0, Spilled.accepted(1, new Category("a", new TreeMap<>())));
            second.add(0, Spilled.accepted(1, new Category("b", new TreeMap<>())));

            assertThat(((LocalDiskShardSpill) first).directory()).isNotEqualTo(((LocalDiskShardSpill) second).directory());
            assertThat(list(first.read(0))).extracting(Spilled::key).containsExactly(new ResourceKey(ResourceType.CATEGORY, "a"));
            assertThat(list(second.read(0))).extracting(Spilled::key).containsExactly(new ResourceKey(ResourceType.CATEGORY, "b"));
        }
    }

    private static List<Spilled> list(Iterator<Spilled> records) {
        List<Spilled> list = new ArrayList<>();
        records.forEachRemaining(list::add);
        return list;
    }
}
