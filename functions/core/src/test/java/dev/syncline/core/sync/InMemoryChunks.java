package dev.syncline.core.sync;

import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkStore;
import dev.syncline.core.delivery.ChunkWork;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A plan's chunks and their recorded results in memory; a result is recorded once, the first recording wins. */
public final class InMemoryChunks implements ChunkStore, ChunkResults {

    private final Map<ChunkRef, Chunk> chunks = new ConcurrentHashMap<>();
    private final Map<ChunkRef, ChunkResult> results = new ConcurrentHashMap<>();
    private final Map<ChunkWork, ChunkResult> passes = new ConcurrentHashMap<>();
    private final Map<ChunkWork, Instant> leases = new ConcurrentHashMap<>();
    private final Set<ChunkRef> failRecording = ConcurrentHashMap.newKeySet();

    /** The next recording of this chunk's results fails, as a worker stopped before it would. */
    public void failNextRecording(ChunkRef ref) {
        failRecording.add(ref);
    }

    public void store(Chunk chunk) {
        chunks.put(chunk.ref(), chunk);
    }

    @Override
    public Chunk load(ChunkRef ref) {
        Chunk chunk = chunks.get(ref);
        if (chunk == null) {
            throw new IllegalStateException("no chunk " + ref);
        }
        return chunk;
    }

    @Override
    public Recorded record(ChunkResult result) {
        if (failRecording.remove(result.ref())) {
            throw new IllegalStateException("the worker stopped before it recorded " + result.ref());
        }
        ChunkResult earlier = results.putIfAbsent(result.ref(), result);
        return earlier == null ? new Recorded(result, true) : new Recorded(earlier, false);
    }

    @Override
    public Optional<ChunkResult> find(ChunkRef ref) {
        return Optional.ofNullable(results.get(ref));
    }

    @Override
    public Recorded recordPass(ChunkResult progress, int pass) {
        ChunkResult earlier = passes.putIfAbsent(new ChunkWork(progress.ref(), pass), progress);
        return earlier == null ? new Recorded(progress, true) : new Recorded(earlier, false);
    }

    @Override
    public Optional<Pass> latestPass(ChunkRef ref) {
        return passes.entrySet().stream()
                .filter(entry -> entry.getKey().ref().equals(ref))
                .max(Map.Entry.comparingByKey(Comparator.comparingInt(ChunkWork::pass)))
                .map(entry -> new Pass(entry.getKey().pass(), entry.getValue()));
    }

    @Override
    public boolean lease(ChunkWork work, Instant until, Instant now) {
        Instant[] granted = {null};
        leases.compute(work, (key, held) -> {
            if (held == null || !held.isAfter(now)) {
                granted[0] = until;
                return until;
            }
            return held;
        });
        return granted[0] != null;
    }
}
