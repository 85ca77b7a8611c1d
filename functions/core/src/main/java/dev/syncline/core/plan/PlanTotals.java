package dev.syncline.core.plan;

import dev.syncline.core.sync.Phase;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a plan holds: entries and chunks per phase, and the number of rejected snapshot lines.
 *
 * @param chunkSizes per phase, the number of entries in each chunk, in chunk order
 * @param deletions how many of the planned entries delete a resource from the App
 * @param held how many resources the App held when the run was planned (its delivered state)
 * @param snapshotSha256 the SHA-256 (hex) of the snapshot the plan was made from; null when unknown
 * @param snapshotLines the lines read from the snapshot, blank ones aside; 0 when unknown
 */
public record PlanTotals(Map<Phase, int[]> chunkSizes, long rejectedLines, long deletions, long held, String snapshotSha256,
        long snapshotLines) {

    /** A plan whose deletions were not counted. */
    public PlanTotals(Map<Phase, int[]> chunkSizes, long rejectedLines) {
        this(chunkSizes, rejectedLines, 0, 0, null, 0);
    }

    public PlanTotals {
        EnumMap<Phase, int[]> copy = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            int[] sizes = chunkSizes.get(phase);
            copy.put(phase, sizes == null ? new int[0] : sizes.clone());
        }
        chunkSizes = copy;
    }

    /** These totals with the deletions the plan holds, what the App held before it, and the snapshot's digest. */
    public PlanTotals withSource(long newDeletions, long newHeld, String newSnapshotSha256, long newSnapshotLines) {
        return new PlanTotals(chunkSizes, rejectedLines, newDeletions, newHeld, newSnapshotSha256, newSnapshotLines);
    }

    public long entries(Phase phase) {
        long total = 0;
        for (int size : chunkSizes.get(phase)) {
            total += size;
        }
        return total;
    }

    public int chunks(Phase phase) {
        return chunkSizes.get(phase).length;
    }

    public long entries() {
        long total = 0;
        for (Phase phase : Phase.values()) {
            total += entries(phase);
        }
        return total;
    }
}
