package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.sync.Phase;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One planned delivery: the request {@code PUT /consume/{event}} for one resource in one phase.
 *
 * @param event the entry's event name ({@code product_updated}...), the last path segment of the request
 * @param events the detailed changes sent in {@code synchronization.events}, only of the types {@link IncludedWith}
 *     allows in {@code event}; empty for deletions
 * @param state the resource as the App will hold it once this entry succeeds, or null for a deletion;
 *     the delivered state moves to it only then
 * @param customs the resource's {@code resource_customs} as the App last answered them before this run, sent with
 *     the entry; empty when it has none, null when the delivered state does not know them (kept outside it before)
 * @param customsChunk for a relations entry whose product is also delivered in this run's products phase, the
 *     chunk of that phase that delivers it: the customs the App answers there are sent instead; -1 otherwise
 */
public record PlannedEntry(Phase phase, String event, ResourceKey resource, List<ChangeEvent> events, PlanReason reason, Resource state,
        Map<String, Object> customs, int customsChunk) {

    /** An entry of a resource without customs. */
    public PlannedEntry(Phase phase, String event, ResourceKey resource, List<ChangeEvent> events, PlanReason reason, Resource state) {
        this(phase, event, resource, events, reason, state, Map.of(), -1);
    }

    public PlannedEntry {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(resource, "resource");
        events = List.copyOf(events);
        IncludedWith.require(event, events);
        Objects.requireNonNull(reason, "reason");
    }

    public Optional<Resource> newState() {
        return Optional.ofNullable(state);
    }

    public boolean isDeletion() {
        return state == null;
    }

    public PlannedEntry withCustoms(Map<String, Object> customs) {
        if (customs == this.customs) {
            return this;
        }
        return new PlannedEntry(phase, event, resource, events, reason, state, customs, customsChunk);
    }

    public PlannedEntry withCustomsChunk(int customsChunk) {
        if (customsChunk == this.customsChunk) {
            return this;
        }
        return new PlannedEntry(phase, event, resource, events, reason, state, customs, customsChunk);
    }
}
