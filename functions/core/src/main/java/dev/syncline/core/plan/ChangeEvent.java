package dev.syncline.core.plan;

import java.util.Map;
import java.util.Objects;

/**
 * One detailed change inside an App request's {@code synchronization.events}: a protocol event type and
 * its payload, a tree of plain Java values (String, BigDecimal, Boolean, null, List, Map) that the JSON
 * codec writes as is. The payload is kept as a {@link Payload}, taken as is when it is one already.
 */
public record ChangeEvent(String type, Map<String, Object> payload) {

    public ChangeEvent {
        Objects.requireNonNull(type, "type");
        payload = Payload.copyOf(payload);
    }
}
