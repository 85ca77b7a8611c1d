package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The App's configuration form: two steps declared in its manifest's {@code configuration_schema}, one
 * {@code app:channels} dictionary it serves itself, and the checks the App makes beyond the schema (answered as
 * 422 violations, as the protocol shapes them).
 */
public final class SampleConfiguration {

    /** The manifest's {@code configuration_schema}: step 0 names the shop, step 1 shapes the feed. */
    public static final String SCHEMA = """
            [
              {
                "type": "object",
                "title": "Shop",
                "required": ["channel", "shop_url"],
                "properties": {
                  "channel": {"type": "string", "title": "Sales channel", "dictionary": "app:channels"},
                  "shop_url": {"type": "string", "title": "Shop URL", "pattern": "^https?://"},
                  "api_key": {"type": "string", "title": "Shop API key", "widget": "password"}
                }
              },
              {
                "type": "object",
                "title": "Feed",
                "required": ["currency"],
                "properties": {
                  "currency": {"type": "string", "title": "Currency", "enum": ["EUR", "USD", "PLN"]},
                  "include_prices": {"type": "boolean", "title": "Include prices"},
                  "max_products": {"type": "integer", "title": "Most products in the feed", "minimum": 1},
                  "language": {"type": "string", "title": "Feed language", "dictionary": "ergonode:languages"},
                  "columns": {
                    "type": "array",
                    "title": "Extra columns",
                    "items": {
                      "type": "object",
                      "required": ["attribute", "header"],
                      "properties": {
                        "attribute": {"type": "string", "title": "Attribute",
                                      "dictionary": "ergonode:attributes?type=TEXT,TEXT_AREA"},
                        "header": {"type": "string", "title": "Column header"}
                      }
                    }
                  }
                }
              }
            ]""";

    /** A configuration the App accepts, one JSON object per step: what tests and the demo submit. */
    public static final List<String> EXAMPLE = List.of(
            "{\"channel\":\"web\",\"shop_url\":\"https://shop.example.com\",\"api_key\":\"shop-key-1\"}",
            "{\"currency\":\"EUR\",\"include_prices\":true}");

    static final int STEPS = 2;

    /** The one secret field (a password widget), redacted in recordings. */
    static final String SECRET = "api_key";

    /** The {@code app:channels} dictionary. */
    static final String CHANNELS = "channels";

    private static final List<String[]> CHANNEL_ENTRIES = List.of(
            new String[] {"web", "Web shop"},
            new String[] {"marketplace", "Marketplace"},
            new String[] {"retail", "Retail stores"});

    private SampleConfiguration() {
    }

    /** {@code {"dictionary": [{"id", "label"}, ...]}} for a dictionary the App serves, empty for any other name. */
    static Optional<ObjectNode> dictionary(String name) {
        if (!name.equals(CHANNELS)) {
            return Optional.empty();
        }
        ArrayNode entries = Json.MAPPER.createArrayNode();
        for (String[] channel : CHANNEL_ENTRIES) {
            entries.addObject().put("id", channel[0]).put("label", channel[1]);
        }
        ObjectNode body = Json.object();
        body.set("dictionary", entries);
        return Optional.of(body);
    }

    /**
     * What the App refuses in step {@code index} beyond its schema, as protocol violations ({@code propertyPath},
     * {@code title}, {@code template}, {@code parameters}); empty when it accepts the step.
     */
    static List<ObjectNode> violations(int index, JsonNode configuration) {
        List<ObjectNode> violations = new ArrayList<>();
        if (!configuration.isObject()) {
            violations.add(violation("", "The configuration must be an object.", "The configuration must be an object.",
                    Json.object()));
            return violations;
        }
        if (index == 0) {
            JsonNode channel = configuration.path("channel");
            boolean known = CHANNEL_ENTRIES.stream().anyMatch(entry -> entry[0].equals(channel.asText(null)));
            if (!known) {
                violations.add(violation("channel", "The sales channel \"" + channel.asText("") + "\" does not exist.",
                        "The sales channel {{ channel }} does not exist.",
                        Json.object().put("{{ channel }}", "\"" + channel.asText("") + "\"")));
            }
            if (!configuration.path("shop_url").asText("").matches("https?://\\S+")) {
                violations.add(violation("shop_url", "This value is not a valid URL.", "This value is not a valid URL.",
                        Json.object().put("{{ value }}", "\"" + configuration.path("shop_url").asText("") + "\"")));
            }
        } else if (index == 1) {
            JsonNode max = configuration.path("max_products");
            if (!max.isMissingNode() && (!max.canConvertToInt() || max.asInt() < 1)) {
                violations.add(violation("max_products", "This value should be 1 or more.",
                        "This value should be {{ compared_value }} or more.",
                        Json.object().put("{{ compared_value }}", "1")));
            }
        }
        return violations;
    }

    /** The 422 body of a refused step. */
    static ObjectNode refusal(List<ObjectNode> violations) {
        ObjectNode body = Json.object()
                .put("title", "The configuration is invalid.")
                .put("detail", violations.size() + " field(s) must be corrected.");
        body.putArray("violations").addAll(violations);
        return body;
    }

    private static ObjectNode violation(String path, String title, String template, ObjectNode parameters) {
        ObjectNode violation = Json.object().put("propertyPath", path).put("title", title).put("template", template);
        violation.set("parameters", parameters);
        return violation;
    }
}
