package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One language's value, as in {@code translations} and {@code name}: {@code {"language": "en_GB", "value": ...}}.
 *
 * @param language a code such as {@code en_GB}, or {@code null} when the value is not localized
 * @param value any JSON value: text, number, list of option codes, price object
 */
record Translation(String language, JsonNode value) {

    Translation {
        value = value == null ? NullNode.getInstance() : value;
    }

    /**
     * Reads a list of translations. Names ({@code name}, {@code option_name}) are not fully specified by the
     * protocol, so a plain string (one non-localized value) and a {@code {"en_GB": "..."}} object are read too.
     */
    static List<Translation> listOf(JsonNode node, String field) {
        var translations = new ArrayList<Translation>();
        if (node.isMissingNode() || node.isNull()) {
            return translations;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isObject()) {
                    throw new InvalidRequestException(field + " must list {\"language\", \"value\"} objects");
                }
                JsonNode language = item.path("language");
                if (!language.isNull() && !language.isMissingNode() && !language.isTextual()) {
                    throw new InvalidRequestException(field + "[].language must be a language code or null");
                }
                JsonNode value = item.has("value") ? item.get("value") : NullNode.getInstance();
                translations.add(new Translation(language.isTextual() ? language.asText() : null, value));
            }
        } else if (node.isObject()) {
            node.properties().forEach(entry -> translations.add(new Translation(entry.getKey(), entry.getValue())));
        } else if (node.isValueNode()) {
            translations.add(new Translation(null, node));
        }
        return translations;
    }
}
