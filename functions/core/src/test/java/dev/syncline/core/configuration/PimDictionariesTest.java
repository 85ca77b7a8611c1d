package dev.syncline.core.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.TestClock;
import dev.syncline.core.plan.SnapshotStore;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PimDictionariesTest {

    private static final UUID INSTALLATION = UUID.fromString("3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f");

    private final TestClock clock = TestClock.at("2026-03-01T10:00:00Z");
    private final AtomicLong linesRead = new AtomicLong();

    @Test
    void attributes_filteredByType_areListedByCodeWithTheirEnglishName() {
        PimDictionaries dictionaries = over(10, 0);

        PimDictionaries.Entries entries = dictionaries.read(INSTALLATION, "ergonode:attributes",
                PimDictionaries.types("type=text_area"));

        assertThat(entries.complete()).isTrue();
        assertThat(entries.entries()).containsExactly(
                new DictionaryEntry("a-1", "Attribute 1", "TEXT_AREA"), new DictionaryEntry("a-3", "Attribute 3", "TEXT_AREA"),
                new DictionaryEntry("a-5", "Attribute 5", "TEXT_AREA"), new DictionaryEntry("a-7", "Attribute 7", "TEXT_AREA"),
                new DictionaryEntry("a-9", "Attribute 9", "TEXT_AREA"));
    }

    @Test
    void languages_areEveryLanguageTheCatalogNamesThingsIn() {
        PimDictionaries.Entries entries = over(2, 1).read(INSTALLATION, "ergonode:languages", Set.of());

        assertThat(entries.entries()).extracting(DictionaryEntry::id).containsExactly("de_DE", "en_GB", "pl_PL");
    }

    @Test
    void aHugeCatalog_isReadOnlyUpToTheEntryLimit_andSaysItIsIncomplete() {
        PimDictionaries.Entries entries = over(PimDictionaries.MAX_ENTRIES * 4, 0)
                .read(INSTALLATION, "ergonode:attributes", Set.of());

        assertThat(entries.complete()).isFalse();
        assertThat(entries.entries()).hasSize(PimDictionaries.MAX_ENTRIES);
        assertThat(linesRead.get()).isLessThanOrEqualTo(PimDictionaries.MAX_ENTRIES + 1L);
    }

    @Test
    void aSlowSnapshot_isReadOnlyUntilTheReadBudgetIsSpent() {
        // Each line takes a second: the budget ends the reading long before the end of the snapshot.
        PimDictionaries.Entries entries = over(1_000, 0, Duration.ofSeconds(1))
                .read(INSTALLATION, "ergonode:categories", Set.of());

        assertThat(entries.complete()).isFalse();
        assertThat(linesRead.get()).isLessThanOrEqualTo(PimDictionaries.READ_BUDGET.toSeconds() + 1);
    }

    @Test
    void beforeAnySnapshot_isNotFoundSayingToUploadOne() {
        PimDictionaries dictionaries = new PimDictionaries(installation -> Optional.empty(), (installation, id) -> {
            throw new AssertionError("no snapshot to open");
        }, clock);

        assertThatThrownBy(() -> dictionaries.read(INSTALLATION, "ergonode:categories", Set.of()))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessageContaining("upload one with POST /v1/installations/" + INSTALLATION + "/snapshots");
    }

    private PimDictionaries over(int attributes, int categories) {
        return over(attributes, categories, Duration.ZERO);
    }

    // attributes a-0.., alternately TEXT and TEXT_AREA, named in English and German; categories named in Polish.
    private PimDictionaries over(int attributes, int categories, Duration perLine) {
        SnapshotStore snapshots = (installation, snapshotId) -> new SnapshotStore.Lines() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < attributes + categories;
            }

            @Override
            public SnapshotLine next() {
                clock.advance(perLine);
                linesRead.incrementAndGet();
                int index = next++;
                if (index < attributes) {
                    return new SnapshotLine.Accepted(index + 1, new Attribute("a-" + index, index % 2 == 0 ? "TEXT" : "TEXT_AREA",
                            "local", new TreeMap<>(Map.of("en_GB", "Attribute " + index, "de_DE", "Merkmal " + index)), List.of()));
                }
                return new SnapshotLine.Accepted(index + 1, new Category("c-" + index,
                        new TreeMap<>(Map.of("pl_PL", "Kategoria " + index))));
            }

            @Override
            public void close() {
            }
        };
        return new PimDictionaries(installation -> Optional.of("catalog-1"), snapshots, clock);
    }
}
