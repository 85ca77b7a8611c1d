package dev.syncline.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU time this JVM and its child processes (dynalite) have used: on a machine whose cores the emulators, the
 * sample App and the functions share, what a stretch of work cost in CPU tells work from waiting. With it, the CPU of
 * the JVM's collectors and its JIT compilers, and the kernel's share: a stretch that cost far more CPU than another of
 * the same work says there where it went.
 */
final class CpuClock {

    /** A clock tick of {@code /proc}, in milliseconds. */
    private static final long TICK_MILLIS = 10;

    private CpuClock() {
    }

    /**
     * What a stretch used.
     *
     * @param jvm the CPU of this JVM, every thread
     * @param kernel the part of {@code jvm} spent in the kernel on the JVM's behalf (system calls, page faults, thread
     *     starts), from {@code /proc/self/stat}; zero where that file is missing
     * @param pageFaults the JVM's page faults, minor and major, from the same file: memory touched for the first time
     *     (a heap growing again after a collection shrank it) costs the kernel a fault per page; zero where it is missing
     * @param children the CPU of the processes it started that are still running (dynalite)
     * @param reportedGc the time the JVM reports for its collections (pauses, not their concurrent work): what
     *     {@link #gc()} is where {@code /proc} is missing
     * @param reportedJit the elapsed time the JVM reports for its compilations (which counts their waits for a core):
     *     what {@link #jit()} is where {@code /proc} is missing
     * @param threadNanos the CPU of each of this JVM's platform threads, by {@code "<id> <name>"}: a thread that ended
     *     before the stretch did is not in it
     * @param vmThreadNanos the CPU of each of the collectors' and JIT compilers' threads, by {@code "<tid> <name>"}
     *     from {@code /proc}; empty where it is missing. The JVM starts and stops some of them as it goes: a stretch
     *     counts each thread's own difference, never a sum that lost a thread that ended
     */
    record Usage(Duration jvm, Duration kernel, long pageFaults, Duration children, Duration reportedGc, Duration reportedJit,
            Map<String, Long> threadNanos, Map<String, Long> vmThreadNanos) {

        Duration total() {
            return jvm.plus(children);
        }

        /** The CPU of the collectors' threads ({@code GC Thread#}, {@code G1 ...}). */
        Duration gc() {
            return vmThreadNanos.isEmpty() ? reportedGc : Duration.ofNanos(sum(vmThreadNanos, false));
        }

        /** The CPU of the JIT compilers' threads. */
        Duration jit() {
            return vmThreadNanos.isEmpty() ? reportedJit : Duration.ofNanos(sum(vmThreadNanos, true));
        }

        /** The share of the JVM's CPU its JIT compilers used. */
        double jitShare() {
            return jvm.isZero() ? 0 : (double) jit().toNanos() / jvm.toNanos();
        }

        Usage minus(Usage before) {
            return new Usage(jvm.minus(before.jvm), kernel.minus(before.kernel), pageFaults - before.pageFaults, children.minus(before.children),
                    reportedGc.minus(before.reportedGc), reportedJit.minus(before.reportedJit),
                    difference(threadNanos, before.threadNanos), difference(vmThreadNanos, before.vmThreadNanos));
        }

        private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
            Map<String, Long> threads = new HashMap<>();
            after.forEach((thread, nanos) -> threads.put(thread, nanos - before.getOrDefault(thread, 0L)));
            return threads;
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
        Duration kernel = Duration.ZERO;
        long pageFaults = 0;
        Map<String, Long> vmThreads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            long[] process = ticks(Path.of("/proc/self/stat"));
            kernel = Duration.ofMillis(process[1] * TICK_MILLIS);
            pageFaults = process[2];
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (isJit(name) || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        long[] ticks = ticks(task.resolve("stat"));
                        vmThreads.put(task.getFileName() + " " + name, Duration.ofMillis((ticks[0] + ticks[1]) * TICK_MILLIS).toNanos());
                    }
                } catch (IOException e) {
                    // the thread ended while the others were read
                }
            }
        } catch (IOException | RuntimeException e) {
            vmThreads.clear(); // not Linux: what the JVM reports stands in
        }
        Duration gc = Duration.ofMillis(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(millis -> millis > 0)
                .sum());
        Duration jit = ManagementFactory.getCompilationMXBean().isCompilationTimeMonitoringSupported()
                ? Duration.ofMillis(ManagementFactory.getCompilationMXBean().getTotalCompilationTime())
                : Duration.ZERO;
        return new Usage(Duration.ofNanos(nanos), kernel, pageFaults, children, gc, jit, threadNanos(), vmThreads);
    }

    private static boolean isJit(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** The CPU of the JIT compilers' threads ({@code jit}) or of the collectors' ones, by {@code "<tid> <name>"}. */
    private static long sum(Map<String, Long> vmThreads, boolean jit) {
        return vmThreads.entrySet().stream()
                .filter(thread -> isJit(thread.getKey().substring(thread.getKey().indexOf(' ') + 1)) == jit)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * The user and kernel time in a {@code stat} file of {@code /proc} (its 14th and 15th fields), in clock ticks of
     * {@link #TICK_MILLIS} (the value of {@code USER_HZ} on every Linux architecture Syncline runs on), and the page
     * faults, minor and major (its 10th and 12th).
     */
    private static long[] ticks(Path stat) throws IOException {
        String line = Files.readString(stat);
        // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[7]) + Long.parseLong(fields[9])};
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
