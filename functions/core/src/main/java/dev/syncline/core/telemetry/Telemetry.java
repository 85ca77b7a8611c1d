package dev.syncline.core.telemetry;

/**
 * Where the engine reports what it did, for operators: adapters turn each {@link Signal} into a log line and into
 * metrics. Reporting never changes what the engine does: an implementation must not throw, block or call out.
 */
@FunctionalInterface
public interface Telemetry {

    /** Reports nothing, for services built without an operator watching (unit tests). */
    Telemetry NONE = signal -> {
    };

    void report(Signal signal);
}
