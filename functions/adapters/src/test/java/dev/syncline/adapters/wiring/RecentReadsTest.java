package dev.syncline.adapters.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentReadsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T03:00:00Z"));
    /** What the store holds now, and how often it was read. */
    private final Map<String, String> stored = new HashMap<>(Map.of("a", "first"));
    private final AtomicInteger storeReads = new AtomicInteger();

    private Optional<String> readStore(String key) {
        storeReads.incrementAndGet();
        return Optional.ofNullable(stored.get(key));
    }

    @Test
    void get_withinFiveSecondsOfARead_answersWhatWasRead_thenReadsTheChangeOnceTheyPassed() {
        RecentReads<String, String> recent = new RecentReads<>(clock, Duration.ofSeconds(5), 8);

        assertThat(recent.get("a", this::readStore)).contains("first");
        stored.put("a", "changed");
        clock.advance(Duration.ofMillis(4_999));
        assertThat(recent.get("a", this::readStore)).as("4.999 s after the read").contains("first");
        clock.advance(Duration.ofMillis(1));
        assertThat(recent.get("a", this::readStore)).as("5 s after the read").contains("changed");
        assertThat(storeReads).hasValue(2);
    }

    @Test
    void get_ofWhatWasNotFound_readsAgainEveryTime() {
        RecentReads<String, String> recent = new RecentReads<>(clock, Duration.ofSeconds(5), 8);

        assertThat(recent.get("missing", this::readStore)).isEmpty();
        stored.put("missing", "now here");

        assertThat(recent.get("missing", this::readStore)).contains("now here");
        assertThat(storeReads).hasValue(2);
    }

    @Test
    void forget_makesTheNextGetRead() {
        RecentReads<String, String> recent = new RecentReads<>(clock, Duration.ofSeconds(5), 8);
        recent.get("a", this::readStore);
        stored.put("a", "changed");

        recent.forget("a");

        assertThat(recent.get("a", this::readStore)).contains("changed");
    }

    @Test
    void get_pastItsCapacity_forgetsTheLeastRecentlyUsedKey() {
        RecentReads<String, String> recent = new RecentReads<>(clock, Duration.ofSeconds(5), 2);
        stored.putAll(Map.of("b", "second", "c", "third"));
        recent.get("a", this::readStore);
        recent.get("b", this::readStore);
        recent.get("a", this::readStore);

        recent.get("c", this::readStore);
        int before = storeReads.get();
        recent.get("a", this::readStore);
        recent.get("b", this::readStore);

        assertThat(storeReads.get() - before).as("only b, the least recently used, was forgotten").isEqualTo(1);
    }
}
