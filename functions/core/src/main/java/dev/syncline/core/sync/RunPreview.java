package dev.syncline.core.sync;

import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a preview shows of a planned run before anything is sent: its changes per phase and event with the first few of
 * each and why they were planned, the snapshot lines it rejected, its deletions, how long it should take, and when it
 * is discarded if nobody runs it.
 *
 * @param changes per phase and event, in phase order and then in the order the planner first met the event
 * @param rejectedLines how many snapshot lines the plan rejected
 * @param firstRejected the first of them, in the order the planner met them, {@value #SAMPLES} at most
 * @param deletions planned entries that delete a resource from the App
 * @param held resources the App held when the run was planned
 * @param guardWouldHold whether the installation's deletion guard would hold these deletions in a run triggered at once
 * @param expiresAt when the reconciler discards the preview if it was neither confirmed nor cancelled
 */
public record RunPreview(List<Change> changes, long rejectedLines, List<SnapshotLine.Rejected> firstRejected, long deletions, long held,
        boolean guardWouldHold, Estimate estimate, Instant expiresAt) {

    /** Samples kept per event, and rejected lines kept. */
    public static final int SAMPLES = 5;

    /** Changed fields a sample's reason names at most (the first ones). */
    public static final int CHANGED_FIELDS = 20;

    public RunPreview {
        changes = List.copyOf(changes);
        firstRejected = List.copyOf(firstRejected);
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** How many entries the plan holds. */
    public long entries() {
        return changes.stream().mapToLong(Change::count).sum();
    }

    /**
     * The entries of one event in one phase.
     *
     * @param samples the first {@value #SAMPLES} of them at most, in plan order
     */
    public record Change(Phase phase, String event, long count, List<Sample> samples) {

        public Change {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(event, "event");
            samples = List.copyOf(samples);
        }
    }

    /** One planned entry: the resource and why it is sent. */
    public record Sample(ResourceKey resource, PlanReason reason) {

        public Sample {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * How long delivering the plan should take, and what it should cost: both worked out once, when the run is planned.
     *
     * @param basis what the duration rests on
     * @param runs the recent runs measured; 0 for the default
     * @param window the installation's concurrency window when the run was planned
     * @param estimatedUsd the plan's entries priced in US dollars at what the installation's last runs that sent something
     *     cost per planned entry; {@code null} when no such run had ended, and for a preview planned before previews
     *     kept their price
     */
    public record Estimate(long durationSeconds, Basis basis, int runs, int window, Double estimatedUsd) {

        public Estimate {
            Objects.requireNonNull(basis, "basis");
        }

        /** An estimate of the duration only, with no price. */
        public Estimate(long durationSeconds, Basis basis, int runs, int window) {
            this(durationSeconds, basis, runs, window, null);
        }

        /** This duration, priced at {@code usd}. */
        public Estimate priced(double usd) {
            return new Estimate(durationSeconds, basis, runs, window, usd);
        }
    }

    /** What an estimate rests on. */
    public enum Basis {
        /** The entries per second the installation's recent runs delivered, start to end. */
        RECENT_RUNS,
        /** No recent run delivered anything: {@link RunEstimates#DEFAULT_REQUEST_TIME} per request, {@code window} at a time. */
        DEFAULT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
