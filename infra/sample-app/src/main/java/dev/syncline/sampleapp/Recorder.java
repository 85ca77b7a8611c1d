package dev.syncline.sampleapp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The requests received, oldest first, bounded so that a long local run cannot exhaust memory. */
final class Recorder {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final ArrayDeque<ReceivedRequest> requests = new ArrayDeque<>();

    Recorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    void add(ReceivedRequest request) {
        lock.lock();
        try {
            if (requests.size() == capacity) {
                requests.removeFirst();
            }
            requests.addLast(request);
            added.signalAll();
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

    /** Waits until at least {@code count} recorded requests match; returns them all. */
    List<ReceivedRequest> await(Predicate<? super ReceivedRequest> filter, int count, Duration timeout)
            throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<ReceivedRequest> found = requests.stream().filter(filter).toList();
                if (found.size() >= count) {
                    return found;
                }
                if (remaining <= 0) {
                    throw new IllegalStateException("expected at least " + count + " matching requests within "
                            + timeout + " but " + found.size() + " arrived");
                }
                remaining = added.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            requests.clear();
        } finally {
            lock.unlock();
        }
    }
}
