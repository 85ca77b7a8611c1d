package dev.syncline.local;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * How long starting took, as a user feels it: from the moment the launcher script started (build check, JDK
 * selection and JVM start included) and from the JVM's start.
 *
 * @param launcherStart when the launcher started; empty when the JVM was started some other way
 */
record StartupClock(Optional<Instant> launcherStart, Instant jvmStart) {

    /** Epoch milliseconds at which the launcher script started; it sets this. */
    static final String LAUNCHED_AT_PROPERTY = "syncline.launchedAtMs";

    static StartupClock fromSystem() {
        Optional<Instant> launcher = Optional.ofNullable(System.getProperty(LAUNCHED_AT_PROPERTY))
                .flatMap(StartupClock::epochMillis);
        // Not the process's start: the launcher execs the JVM, so the process started with the script.
        Instant jvm = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        return new StartupClock(launcher, jvm);
    }

    private static Optional<Instant> epochMillis(String text) {
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code Started in X s; first App call after Y s}, from the launcher's start, then the same from the JVM's.
     *
     * @param firstAppCall when the sample App received its first request, if it has
     */
    String report(Instant started, Optional<Instant> firstAppCall) {
        Instant origin = launcherStart.orElse(jvmStart);
        StringBuilder line = new StringBuilder("Started in ").append(seconds(origin, started));
        firstAppCall.ifPresent(call -> line.append("; first App call after ").append(seconds(origin, call)));
        if (launcherStart.isPresent()) {
            line.append(" (from the launcher's start; from the JVM's start: ").append(seconds(jvmStart, started));
            firstAppCall.ifPresent(call -> line.append(" and ").append(seconds(jvmStart, call)));
            line.append(')');
        } else {
            line.append(" (from the JVM's start)");
        }
        return line.toString();
    }

    private static String seconds(Instant from, Instant to) {
        return String.format(Locale.ROOT, "%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }
}
