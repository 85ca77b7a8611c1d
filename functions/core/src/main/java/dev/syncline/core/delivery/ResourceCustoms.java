package dev.syncline.core.delivery;

import dev.syncline.core.snapshot.ResourceKey;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** The {@code resource_customs} an App answered with, per installation and resource, echoed on later events. */
public interface ResourceCustoms {

    /** The stored customs of those resources that have any. */
    Map<ResourceKey, Map<String, Object>> find(UUID installationId, Collection<ResourceKey> resources);

    /** Stores customs (replacing earlier ones) and forgets those of deleted resources. */
    void update(UUID installationId, Map<ResourceKey, Map<String, Object>> customs, Collection<ResourceKey> deleted);
}
