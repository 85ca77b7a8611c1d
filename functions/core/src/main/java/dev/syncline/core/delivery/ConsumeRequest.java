package dev.syncline.core.delivery;

import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.snapshot.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code PUT /consume/{event}} of an entry.
 *
 * @param customs the resource's stored {@code resource_customs}, or null
 * @param idempotencyKey stable per run and entry, identical on every retry
 */
public record ConsumeRequest(String event, ResourceKey resource, List<ChangeEvent> events, Map<String, Object> customs, String idempotencyKey) {

    public ConsumeRequest {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(resource, "resource");
        events = List.copyOf(events);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }
}
