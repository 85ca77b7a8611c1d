package dev.syncline.core.delivery;

import dev.syncline.core.snapshot.ResourceKey;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code resource_customs} Apps answered with, as earlier versions kept them: one record per installation and
 * resource, outside the delivered state. The delivered state now keeps them (see {@code DeliveredState.Delivered});
 * these are read only for entries whose plan does not know a resource's customs, and forgotten once the resource's
 * delivery has put them into the delivered state.
 */
public interface ResourceCustoms {

    /** The stored customs of those resources that have any. */
    Map<ResourceKey, Map<String, Object>> find(UUID installationId, Collection<ResourceKey> resources);

    /** Stores customs (replacing earlier ones) and forgets those of deleted resources. */
    void update(UUID installationId, Map<ResourceKey, Map<String, Object>> customs, Collection<ResourceKey> deleted);
}
