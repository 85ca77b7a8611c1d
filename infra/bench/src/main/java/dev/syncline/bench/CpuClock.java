package dev.syncline.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

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
     */
    record Usage(Duration jvm, Duration children, Duration gc, Duration jit) {

        Duration total() {
            return jvm.plus(children);
        }

        Usage minus(Usage before) {
            return new Usage(jvm.minus(before.jvm), children.minus(before.children), gc.minus(before.gc), jit.minus(before.jit));
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
        return new Usage(Duration.ofNanos(nanos), children, Duration.ofMillis(gcMillis), Duration.ofMillis(jitMillis));
    }
}
