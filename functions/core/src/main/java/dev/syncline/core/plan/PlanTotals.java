package dev.syncline.core.plan;

import dev.syncline.core.sync.Phase;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a plan holds: entries and chunks per phase, and the number of rejected snapshot lines.
 *
 * @param chunkSizes per phase, the number of entries in each chunk, in chunk order
 * @param resources the snapshot lines read, accepted or rejected (0 where the plan was not read from a snapshot)
 */
public record PlanTotals(Map<Phase, int[]> chunkSizes, long rejectedLines, long resources) {

    public PlanTotals(Map<Phase, int[]> chunkSizes, long rejectedLines) {
        this(chunkSizes, rejectedLines, 0);
    }

    /** These totals, having read {@code resources} snapshot lines. */
    public PlanTotals withResources(long resources) {
        return new PlanTotals(chunkSizes, rejectedLines, resources);
    }

    public PlanTotals {
        EnumMap<Phase, int[]> copy = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            int[] sizes = chunkSizes.get(phase);
            copy.put(phase, sizes == null ? new int[0] : sizes.clone());
        }
        chunkSizes = copy;
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
