package dev.syncline.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU time this JVM and its child processes (dynalite) have used: on a machine whose cores the emulators, the
 * sample App and the functions share, what a stretch of work cost in CPU tells work from waiting. With it, the
 * time the JVM's collectors and its JIT compilers reported: a stretch that cost far more CPU than another of the same
 * work says there where it went.
 */
final class CpuClock {

    private CpuClock() {
    }

    /**
     * What a stretch used.
     *
     * @param jvm the CPU of this JVM, every thread
     * @param children the CPU of the processes it started that are still running (dynalite)
     * @param gc the time the collectors report for their collections (pauses, and for some collectors concurrent work)
     * @param jit the time the JIT compilers report
     * @param threadNanos the CPU of each of this JVM's platform threads, by {@code "<id> <name>"}: a thread that ended
     *     before the stretch did is not in it
     */
    record Usage(Duration jvm, Duration children, Duration gc, Duration jit, Map<String, Long> threadNanos) {

        Duration total() {
            return jvm.plus(children);
        }

        Usage minus(Usage before) {
            Map<String, Long> threads = new HashMap<>();
            threadNanos.forEach((thread, nanos) -> threads.put(thread, nanos - before.threadNanos.getOrDefault(thread, 0L)));
            return new Usage(jvm.minus(before.jvm), children.minus(before.children), gc.minus(before.gc), jit.minus(before.jit), threads);
        }

        /** The groups of threads (by name, digits left out) that used the most CPU, {@code name seconds}, most first. */
        String busiestThreads(int count) {
            Map<String, Long> groups = new HashMap<>();
            threadNanos.forEach((thread, nanos) -> groups.merge(thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "#"), nanos, Long::sum));
            return groups.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(count)
                    .map(group -> String.format(java.util.Locale.ROOT, "%s %.1f s", group.getKey(), group.getValue() / 1e9))
                    .collect(Collectors.joining(", "));
        }
    }

    /** What this process and every process it started that is still running used so far. */
    static Usage used() {
        long nanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        Duration children = ProcessHandle.current().descendants()
                .map(child -> child.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(millis -> millis > 0)
                .sum();
        long jitMillis = ManagementFactory.getCompilationMXBean().isCompilationTimeMonitoringSupported()
                ? ManagementFactory.getCompilationMXBean().getTotalCompilationTime()
                : 0;
        return new Usage(Duration.ofNanos(nanos), children, Duration.ofMillis(gcMillis), Duration.ofMillis(jitMillis), threadNanos());
    }

    /**
     * The CPU of each of this JVM's live platform threads, by {@code "<id> <name>"}; the carriers of virtual threads are
     * {@code ForkJoinPool-#-worker-#}.
     */
    private static Map<String, Long> threadNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new HashMap<>();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return groups;
        }
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(thread.getThreadId());
            if (nanos > 0) {
                groups.put(thread.getThreadId() + " " + thread.getThreadName(), nanos);
            }
        }
        return groups;
    }
}
