package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The body of one {@code PUT /consume/{event}}, read and checked before the App acts on it. */
sealed interface Delivery {

    /** Every event the protocol lets an App subscribe to. */
    Set<String> EVENTS = Set.of(
            "app_installed", "app_uninstalled",
            "attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted",
            "product_created", "product_updated", "product_deleted",
            "synchronization_started", "synchronization_ended");

    String event();

    /** {@code resource_id.id} for a resource event, {@code null} otherwise. */
    default String resourceId() {
        return null;
    }

    /** {@code app_installed} / {@code app_uninstalled}: {@code {"name": "app_installed"}}. */
    record Lifecycle(String event) implements Delivery {
    }

    /** {@code synchronization_started} / {@code synchronization_ended}, with the run as the engine describes it. */
    record RunNotice(String event, String synchronizationId, JsonNode synchronization) implements Delivery {
    }

    enum Action { CREATED, UPDATED, DELETED }

    /**
     * A resource event: {@code {"name", "resource_id": {"id", "type"}, "synchronization": {"resource_customs",
     * "events"}}}.
     */
    record ResourceEvent(String event, ResourceKind kind, Action action, String resourceId, JsonNode resourceCustoms,
                         List<Change> changes) implements Delivery {
        public ResourceEvent {
            changes = List.copyOf(changes);
        }
    }

    /**
     * Reads a body sent to {@code /consume/{event}}; {@code event} must be one of {@link #EVENTS}.
     *
     * @throws InvalidRequestException saying which part of the body is wrong
     */
    static Delivery parse(String event, JsonNode body) {
        if (!EVENTS.contains(event)) {
            throw new IllegalArgumentException("not an event: " + event);
        }
        if (!body.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object");
        }
        JsonNode name = body.path("name");
        if (!name.isTextual() || !name.asText().equals(event)) {
            throw new InvalidRequestException("the body's \"name\" must be \"" + event + "\" (the event in the path), got "
                    + name);
        }
        return switch (event) {
            case "app_installed", "app_uninstalled" -> new Lifecycle(event);
            case "synchronization_started", "synchronization_ended" -> runNotice(event, body);
            default -> resourceEvent(event, body);
        };
    }

    private static RunNotice runNotice(String event, JsonNode body) {
        JsonNode synchronization = body.path("synchronization");
        if (!synchronization.isObject() || !synchronization.path("id").isTextual()) {
            throw new InvalidRequestException(event + " needs \"synchronization\": {\"id\": \"...\", ...}");
        }
        return new RunNotice(event, synchronization.get("id").asText(), synchronization);
    }

    private static ResourceEvent resourceEvent(String event, JsonNode body) {
        int cut = event.lastIndexOf('_');
        ResourceKind kind = ResourceKind.valueOf(event.substring(0, cut).toUpperCase(Locale.ROOT));
        Action action = Action.valueOf(event.substring(cut + 1).toUpperCase(Locale.ROOT));

        JsonNode resourceId = body.path("resource_id");
        if (!resourceId.path("id").isTextual() || resourceId.get("id").asText().isEmpty()) {
            throw new InvalidRequestException("resource_id.id must be a non-empty string");
        }
        if (!resourceId.path("type").asText("").equals(kind.idType())) {
            throw new InvalidRequestException("resource_id.type must be \"" + kind.idType() + "\" for " + event
                    + ", got " + resourceId.path("type"));
        }
        String id = resourceId.get("id").asText();

        JsonNode synchronization = body.path("synchronization");
        if (!synchronization.isObject()) {
            throw new InvalidRequestException("\"synchronization\": {\"resource_customs\", \"events\"} is required");
        }
        JsonNode customs = synchronization.path("resource_customs");
        if (!customs.isMissingNode() && !customs.isNull() && !customs.isObject()) {
            throw new InvalidRequestException("synchronization.resource_customs must be an object or null");
        }
        JsonNode events = synchronization.path("events");
        if (!events.isArray()) {
            throw new InvalidRequestException("synchronization.events must be a list");
        }
        if (action == Action.DELETED && !events.isEmpty()) {
            throw new InvalidRequestException(event + " carries no change events: synchronization.events must be []");
        }
        var changes = new ArrayList<Change>();
        for (JsonNode change : events) {
            changes.add(Change.parse(kind, change));
        }
        for (Change change : changes) {
            String named = switch (change) {
                case Change.ProductCreated created -> created.sku();
                case Change.AttributeCreated created -> created.code();
                case Change.CategoryCreated created -> created.code();
                default -> id;
            };
            if (!named.equals(id)) {
                throw new InvalidRequestException("the created resource '" + named + "' is not resource_id.id '" + id
                        + "'");
            }
        }
        return new ResourceEvent(event, kind, action, id, customs.isObject() ? customs : NullNode.getInstance(),
                changes);
    }
}
