package dev.syncline.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * How much heap a JVM used: the peak of each heap pool added up (an upper bound, since the pools peak at different
 * moments), and the largest heap left after a collection (the live set: what the work really holds). Started at
 * the beginning of the work and read at its end, in the JVM that does the work.
 */
final class HeapWatch {

    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();

    private HeapWatch() {
    }

    static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        watch.afterCollection(info.getGcInfo().getMemoryUsageAfterGc());
                    }
                }, null, null);
            }
        }
        return watch;
    }

    private void afterCollection(Map<String, MemoryUsage> afterGc) {
        collections.incrementAndGet();
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            MemoryUsage usage = afterGc.get(pool.getName());
            if (usage != null) {
                used += usage.getUsed();
            }
        }
        maxAfterGc.accumulateAndGet(used, Math::max);
    }

    /** The sum of the heap pools' peak usage since {@link #start()}, in bytes. */
    long peakBytes() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** The most heap in use right after any collection since {@link #start()}, in bytes; 0 when none ran. */
    long maxLiveBytes() {
        return maxAfterGc.get();
    }

    long collections() {
        return collections.get();
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The collector the JVM chose, by the usual name: G1, Serial, Parallel, ZGC, Shenandoah. */
    static String collector() {
        String names = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" "));
        if (names.contains("G1")) {
            return "G1";
        }
        if (names.contains("ZGC")) {
            return "ZGC";
        }
        if (names.contains("Shenandoah")) {
            return "Shenandoah";
        }
        if (names.contains("PS ")) {
            return "Parallel";
        }
        return names.contains("Copy") || names.contains("MarkSweepCompact") ? "Serial" : names.replace(' ', '_');
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }
}
