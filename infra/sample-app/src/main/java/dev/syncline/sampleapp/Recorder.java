package dev.syncline.sampleapp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The requests received, oldest first, bounded so that a long local run cannot exhaust memory. */
final class Recorder {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ReceivedRequest> requests = new ArrayDeque<>();
    /** Requests added since the last {@link #clear}, dropped ones included. */
    private long added;
    /** How many times the record was cleared. */
    private long clears;

    Recorder(int capacity) {
        checkCapacity(capacity);
        this.capacity = capacity;
    }

    /** @throws IllegalArgumentException unless a recorder may keep {@code capacity} requests */
    static void checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
    }

    void add(ReceivedRequest request) {
        lock.lock();
        try {
            if (requests.size() == capacity) {
                requests.removeFirst();
            }
            requests.addLast(request);
            added++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<ReceivedRequest> matching(Predicate<? super ReceivedRequest> filter) {
        lock.lock();
        try {
            return requests.stream().filter(filter).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code count} recorded requests match; returns them all. Each arrival is tested once,
     * not the whole record again: a run's thousands of requests would otherwise hold the lock every request's
     * {@link #add} needs for a scan of all the others.
     */
    List<ReceivedRequest> await(Predicate<? super ReceivedRequest> filter, int count, Duration timeout)
            throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            long clearedAt = -1;
            long tested = 0;
            int matched = 0;
            while (true) {
                if (clearedAt != clears) {
                    clearedAt = clears;
                    tested = 0;
                    matched = 0;
                }
                // The newest arrivals not tested yet (fewer if some were already dropped for the capacity).
                Iterator<ReceivedRequest> newest = requests.descendingIterator();
                for (long fresh = added - tested; fresh > 0 && newest.hasNext(); fresh--) {
                    if (filter.test(newest.next())) {
                        matched++;
                    }
                }
                tested = added;
                if (matched >= count) {
                    // Matches dropped for the capacity no longer count: the record decides.
                    List<ReceivedRequest> found = requests.stream().filter(filter).toList();
                    if (found.size() >= count) {
                        return found;
                    }
                    matched = found.size();
                }
                if (remaining <= 0) {
                    throw new IllegalStateException("expected at least " + count + " matching requests within "
                            + timeout + " but " + matched + " arrived");
                }
                remaining = arrived.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            requests.clear();
            added = 0;
            clears++;
        } finally {
            lock.unlock();
        }
    }
}
