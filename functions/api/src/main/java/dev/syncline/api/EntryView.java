package dev.syncline.api;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.SnapshotLine;
import java.util.List;
import java.util.Locale;

/**
 * One entry of a run as the API shows it: what was planned and why, and how it ended. Rejected snapshot
 * lines are shown as entries too, with their line number.
 */
record EntryView(
        String phase,
        Integer chunk,
        Integer index,
        String event,
        Resource resource,
        String status,
        Integer attempts,
        Integer lastHttpStatus,
        String error,
        Long durationMs,
        Reason reason,
        Long line) {

    record Resource(String type, String id) {

        static Resource of(ResourceKey key) {
            return key == null ? null : new Resource(key.type().wireName(), key.id());
        }
    }

    record Reason(String kind, List<String> changed) {

        static Reason of(PlanReason reason) {
            return new Reason(reason.kind().name().toLowerCase(Locale.ROOT), reason.changed());
        }
    }

    static EntryView of(ChunkRef ref, PlannedEntry planned, EntryResult result) {
        return new EntryView(ref.phase().wireName(), ref.chunk(), result.index(), planned.event(), Resource.of(planned.resource()),
                result.status().wireName(), result.attempts(), result.lastHttpStatus() == 0 ? null : result.lastHttpStatus(),
                result.error(), result.durationMillis(), Reason.of(planned.reason()), null);
    }

    static EntryView unsent(ChunkRef ref, int index, PlannedEntry planned, boolean runEnded) {
        return new EntryView(ref.phase().wireName(), ref.chunk(), index, planned.event(), Resource.of(planned.resource()),
                (runEnded ? EntryStatus.CANCELLED : EntryStatus.PLANNED).wireName(), 0, null, null, null, Reason.of(planned.reason()), null);
    }

    static EntryView rejected(SnapshotLine.Rejected line) {
        return new EntryView(null, null, null, null, Resource.of(line.resource()), "rejected", null, null, line.reason(), null, null,
                line.lineNumber());
    }
}
