package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.config.MissingConfigurationException;
import dev.syncline.core.SynclineException;
import dev.syncline.core.cost.AwsPrices;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the prices {@value Config#PRICES} sets: one JSON object with {@code as_of} and any of
 * {@link AwsPrices#priceNames()} in dollars, the rest kept at {@link AwsPrices#US_EAST_1}.
 */
public final class JsonPrices {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPrices() {
    }

    /**
     * The prices {@code setting} asks for; the defaults when it is empty.
     *
     * @throws MissingConfigurationException saying what to fix: not a JSON object, an unknown name, a negative
     *     price, a missing or malformed {@code as_of}
     */
    public static AwsPrices read(Optional<String> setting) {
        if (setting.isEmpty()) {
            return AwsPrices.US_EAST_1;
        }
        String problem;
        try {
            JsonNode json = JSON.readTree(setting.get());
            if (json != null && json.isObject()) {
                Map<String, Double> prices = new LinkedHashMap<>();
                String asOf = null;
                for (Map.Entry<String, JsonNode> field : json.properties()) {
                    if (field.getKey().equals("as_of")) {
                        asOf = field.getValue().asText();
                    } else {
                        prices.put(field.getKey(), field.getValue().isNumber() ? field.getValue().doubleValue() : Double.NaN);
                    }
                }
                return AwsPrices.US_EAST_1.with(asOf, prices);
            }
            problem = "must be a JSON object";
        } catch (JsonProcessingException e) {
            problem = "must be a JSON object (" + e.getOriginalMessage() + ")";
        } catch (SynclineException.Invalid e) {
            problem = "is not valid (" + String.join("; ", e.violations().stream().map(SynclineException.Violation::message).toList()) + ")";
        }
        throw new MissingConfigurationException("Environment variable " + Config.PRICES + " " + problem
                + ", like {\"as_of\": \"2026-11-26\", \"dynamodb_per_million_write_units\": 0.625}; the prices are "
                + String.join(", ", AwsPrices.priceNames()) + ".");
    }
}
