package dev.syncline.adapters.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a function instance read a moment ago, answered again without reading for {@code keepFor}: at most
 * {@code capacity} keys, the least recently used forgotten first. Only what was found is kept; a read that found
 * nothing is asked again every time. Thread-safe; the read itself runs outside the lock, so two threads that miss
 * the same key at once both read it.
 */
final class RecentReads<K, V> {

    private final Clock clock;
    private final Duration keepFor;
    private final Map<K, Read<V>> reads;

    private record Read<V>(V value, Instant at) {
    }

    RecentReads(Clock clock, Duration keepFor, int capacity) {
        if (keepFor.isNegative()) {
            throw new IllegalArgumentException("keepFor must not be negative, got " + keepFor);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keepFor = keepFor;
        this.reads = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Read<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** What {@code read} answered for {@code key} less than {@code keepFor} ago, else what it answers now. */
    Optional<V> get(K key, Function<K, Optional<V>> read) {
        Instant now = clock.instant();
        synchronized (reads) {
            Read<V> kept = reads.get(key);
            if (kept != null && now.isBefore(kept.at().plus(keepFor))) {
                return Optional.of(kept.value());
            }
        }
        Optional<V> found = read.apply(key);
        synchronized (reads) {
            if (found.isPresent()) {
                reads.put(key, new Read<>(found.get(), now));
            } else {
                reads.remove(key);
            }
        }
        return found;
    }

    /** Forgets {@code key}: this instance changed it, so the next {@link #get} reads it again. */
    void forget(K key) {
        synchronized (reads) {
            reads.remove(key);
        }
    }
}
