package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One detailed change inside {@code synchronization.events}: {@code {"type": "...", "payload": {...}}}, read into a
 * typed value before anything is applied, so that a request with one bad change changes nothing.
 */
sealed interface Change permits Change.AttributeChange, Change.CategoryChange, Change.ProductChange {

    sealed interface AttributeChange extends Change {
    }

    sealed interface CategoryChange extends Change {
    }

    sealed interface ProductChange extends Change {
    }

    record AttributeCreated(String code, String type, String scope, List<Translation> name)
            implements AttributeChange {
    }

    record AttributeNameChanged(List<Translation> name) implements AttributeChange {
    }

    record AttributeOptionCreated(String optionCode, List<Translation> optionName) implements AttributeChange {
    }

    record AttributeOptionNameChanged(String optionCode, List<Translation> optionName) implements AttributeChange {
    }

    record AttributeOptionCodeChanged(String optionCode, String previousOptionCode) implements AttributeChange {
    }

    record AttributeOptionDeleted(String optionCode) implements AttributeChange {
    }

    record CategoryCreated(String code, List<Translation> name) implements CategoryChange {
    }

    record CategoryNameChanged(List<Translation> name) implements CategoryChange {
    }

    record ProductCreated(String sku, String type) implements ProductChange {
    }

    /** {@code product_value_added} and {@code product_value_changed}: set these languages' values. */
    record ValueSet(String attributeCode, List<Translation> translations) implements ProductChange {
    }

    /** {@code product_value_removed}: drop these languages, or the whole value when none are listed. */
    record ValueRemoved(String attributeCode, List<Translation> translations) implements ProductChange {
    }

    record AddedToCategory(String categoryCode) implements ProductChange {
    }

    record RemovedFromCategory(String categoryCode) implements ProductChange {
    }

    record BindingAdded(String attributeCode) implements ProductChange {
    }

    record BindingRemoved(String attributeCode) implements ProductChange {
    }

    record VariantAdded(String sku) implements ProductChange {
    }

    record VariantRemoved(String sku) implements ProductChange {
    }

    /** {@code product_child_added} and {@code product_child_quantity_changed}. */
    record ChildSet(String sku, int quantity) implements ProductChange {
    }

    record ChildRemoved(String sku) implements ProductChange {
    }

    /**
     * Reads one {@code {type, payload}} sent for a resource of this kind.
     *
     * @throws InvalidRequestException naming the change and field at fault
     */
    static Change parse(ResourceKind kind, JsonNode change) {
        if (!change.isObject() || !change.path("type").isTextual()) {
            throw new InvalidRequestException("every synchronization.events item needs a string 'type'");
        }
        String type = change.get("type").asText();
        JsonNode payload = change.path("payload");
        if (!payload.isObject()) {
            throw new InvalidRequestException(type + ": 'payload' must be a JSON object");
        }
        var fields = new Fields(type, payload);
        Change parsed = switch (type) {
            case "attribute_created" -> new AttributeCreated(fields.text("code"), fields.optionalText("type"),
                    fields.optionalText("scope"), fields.translations("name"));
            case "attribute_name_changed" -> new AttributeNameChanged(fields.translations("name"));
            case "attribute_option_created" ->
                    new AttributeOptionCreated(fields.text("option_code"), fields.translations("option_name"));
            case "attribute_option_name_changed" ->
                    new AttributeOptionNameChanged(fields.text("option_code"), fields.translations("option_name"));
            case "attribute_option_code_changed" ->
                    new AttributeOptionCodeChanged(fields.text("option_code"), fields.text("previous_option_code"));
            case "attribute_option_deleted" -> new AttributeOptionDeleted(fields.text("option_code"));
            case "category_created" -> new CategoryCreated(fields.text("code"), fields.translations("name"));
            case "category_name_changed" -> new CategoryNameChanged(fields.translations("name"));
            case "product_created" -> new ProductCreated(fields.text("sku"), fields.optionalText("type"));
            case "product_value_added", "product_value_changed" ->
                    new ValueSet(fields.text("attribute_code"), fields.translations("translations"));
            case "product_value_removed" ->
                    new ValueRemoved(fields.text("attribute_code"), fields.translations("translations"));
            case "product_added_to_category" -> new AddedToCategory(fields.text("category_code"));
            case "product_removed_from_category" -> new RemovedFromCategory(fields.text("category_code"));
            case "product_binding_added" -> new BindingAdded(fields.text("attribute_code"));
            case "product_binding_removed" -> new BindingRemoved(fields.text("attribute_code"));
            case "product_variant_added" -> new VariantAdded(fields.text("sku"));
            case "product_variant_removed" -> new VariantRemoved(fields.text("sku"));
            case "product_child_added", "product_child_quantity_changed" ->
                    new ChildSet(fields.text("sku"), fields.quantity());
            case "product_child_removed" -> new ChildRemoved(fields.text("sku"));
            // The sample App is strict on purpose, so that a sender's mistake shows up as a failed entry at once;
            // a production App may prefer to ignore change types it does not know.
            default -> throw new InvalidRequestException("unknown change type '" + type + "'");
        };
        if (!kind.accepts(parsed)) {
            throw new InvalidRequestException("change type '" + type + "' does not apply to a " + kind.noun());
        }
        return parsed;
    }

    /** Reads payload fields, naming the change and field in every complaint. */
    record Fields(String type, JsonNode payload) {

        String text(String field) {
            JsonNode value = payload.path(field);
            if (!value.isTextual() || value.asText().isEmpty()) {
                throw new InvalidRequestException(type + ": payload." + field + " must be a non-empty string");
            }
            return value.asText();
        }

        String optionalText(String field) {
            JsonNode value = payload.path(field);
            return value.isTextual() ? value.asText() : null;
        }

        List<Translation> translations(String field) {
            return List.copyOf(Translation.listOf(payload.path(field), type + ": payload." + field));
        }

        int quantity() {
            JsonNode value = payload.path("quantity");
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new InvalidRequestException(type + ": payload.quantity must be a whole number");
            }
            return value.asInt();
        }
    }
}
