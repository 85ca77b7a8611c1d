package dev.syncline.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The CPU time this JVM and its child processes (dynalite) have used: on a machine whose cores the emulators, the
 * sample App and the functions share, what a stretch of work cost in CPU tells work from waiting.
 */
final class CpuClock {

    private CpuClock() {
    }

    /** CPU used so far by this process and every process it started that is still running. */
    static Duration used() {
        long nanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        Duration children = ProcessHandle.current().descendants()
                .map(child -> child.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        return Duration.ofNanos(nanos).plus(children);
    }
}
