package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.FakeEngine.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Bodies of {@code PUT /consume/{event}} in the documented shape, as the engine sends them. */
final class Events {

    private Events() {
    }

    static ObjectNode product(String event, String sku, ObjectNode... changes) {
        return resource(event, sku, "sku", NullNode.getInstance(), changes);
    }

    static ObjectNode productWithCustoms(String event, String sku, JsonNode customs, ObjectNode... changes) {
        return resource(event, sku, "sku", customs, changes);
    }

    static ObjectNode attribute(String event, String code, ObjectNode... changes) {
        return resource(event, code, "attribute_code", NullNode.getInstance(), changes);
    }

    static ObjectNode category(String event, String code, ObjectNode... changes) {
        return resource(event, code, "category_code", NullNode.getInstance(), changes);
    }

    static ObjectNode resource(String event, String id, String idType, JsonNode customs, ObjectNode... changes) {
        ObjectNode body = JSON.createObjectNode().put("name", event);
        body.putObject("resource_id").put("id", id).put("type", idType);
        ObjectNode synchronization = body.putObject("synchronization");
        synchronization.set("resource_customs", customs);
        ArrayNode events = synchronization.putArray("events");
        for (ObjectNode change : changes) {
            events.add(change);
        }
        return body;
    }

    static ObjectNode lifecycle(String event) {
        return JSON.createObjectNode().put("name", event);
    }

    static ObjectNode run(String event, String synchronizationId, String status) {
        ObjectNode body = JSON.createObjectNode().put("name", event);
        body.putObject("synchronization").put("id", synchronizationId).put("mode", "incremental")
                .put("status", status);
        return body;
    }

    /** A change: {@code {"type": type, "payload": {k1: v1, k2: v2...}}}. */
    static ObjectNode change(String type, Object... payloadKeysAndValues) {
        ObjectNode change = JSON.createObjectNode().put("type", type);
        ObjectNode payload = change.putObject("payload");
        for (int i = 0; i < payloadKeysAndValues.length; i += 2) {
            payload.set((String) payloadKeysAndValues[i], JSON.valueToTree(payloadKeysAndValues[i + 1]));
        }
        return change;
    }

    static ObjectNode created(String sku, String type) {
        return change("product_created", "sku", sku, "type", type);
    }

    /** {@code product_value_added|changed|removed} with {@code translations}. */
    static ObjectNode value(String type, String attributeCode, ObjectNode... translations) {
        ObjectNode change = change(type, "attribute_code", attributeCode);
        ArrayNode list = ((ObjectNode) change.get("payload")).putArray("translations");
        for (ObjectNode translation : translations) {
            list.add(translation);
        }
        return change;
    }

    /** One translation; {@code language} null for a value that is not localized. */
    static ObjectNode in(String language, Object value) {
        ObjectNode translation = JSON.createObjectNode().put("language", language);
        translation.set("value", JSON.valueToTree(value));
        return translation;
    }
}
