package dev.syncline.core.plan;

import java.util.List;
import java.util.Objects;

/**
 * Why an entry was planned, shown to operators next to a failed entry.
 *
 * @param changed the fields that differ from what the App last received ({@code name}, {@code options},
 *     {@code values.color}, {@code categories}...), empty unless {@code kind} is CHANGED
 */
public record PlanReason(Kind kind, List<String> changed) {

    public PlanReason {
        Objects.requireNonNull(kind, "kind");
        changed = List.copyOf(changed);
    }

    public enum Kind {
        /** The App has never received this resource. */
        CREATED,
        /** The resource changed since the App last received it. */
        CHANGED,
        /** The resource is gone from the snapshot. */
        DELETED,
        /** A full run sends everything. */
        FULL_RUN
    }

    public static PlanReason created() {
        return new PlanReason(Kind.CREATED, List.of());
    }

    public static PlanReason deleted() {
        return new PlanReason(Kind.DELETED, List.of());
    }

    public static PlanReason fullRun() {
        return new PlanReason(Kind.FULL_RUN, List.of());
    }

    public static PlanReason changed(List<String> fields) {
        return new PlanReason(Kind.CHANGED, fields);
    }
}
