package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;
import dev.syncline.core.configuration.ConfigurationService;
import dev.syncline.core.configuration.DictionaryEntry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /v1/installations/{id}/configuration} and {@code /dictionaries/{name}}: an installation's configuration
 * form (the App's steps and what it stores), submitting one step, and the dictionaries its selects list.
 */
final class ConfigurationEndpoint {

    /** The body of {@code GET .../configuration}; the schema and the stored steps are shown as the App wrote them. */
    record ConfigurationView(String installationId, String status, int steps, JsonNode configurationSchema,
                             JsonNode configuration) {
    }

    /** The body of {@code POST .../configuration}: the protocol's own shape. */
    record StepBody(Integer index, JsonNode configuration) {
    }

    /** The body of {@code GET .../dictionaries/{name}}. */
    record DictionaryView(String name, JsonNode dictionary, boolean complete) {
    }

    private final ConfigurationService configuration;
    private final JsonBodies bodies;
    private final JsonCodec json;

    ConfigurationEndpoint(ConfigurationService configuration, JsonBodies bodies, JsonCodec json) {
        this.configuration = configuration;
        this.bodies = bodies;
        this.json = json;
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        ConfigurationService.Configuration current = configuration.read(Ids.installation(path.get("installation_id")));
        return ApiResponse.json(200, json.write(new ConfigurationView(current.installation().id().toString(),
                current.installation().status().wireName(), current.steps(), json.readTree(current.schema()),
                json.readTree(current.stored()))));
    }

    /** 200 with the installation once the App stored the step; 422 with every refused field; 502 when the App failed. */
    ApiResponse submit(ApiRequest request, Map<String, String> path) {
        UUID id = Ids.installation(path.get("installation_id"));
        StepBody body = bodies.read(request, StepBody.class);
        List<Violation> violations = new ArrayList<>();
        if (body.index() == null) {
            violations.add(new Violation("index", "index is required: the step's position in configuration_schema,"
                    + " from 0"));
        }
        if (body.configuration() == null || !body.configuration().isObject()) {
            violations.add(new Violation("configuration", "configuration is required: a JSON object with the step's"
                    + " values"));
        }
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("configuration step", violations);
        }
        var installation = configuration.submit(id, body.index(), json.write(body.configuration()));
        return ApiResponse.json(200, json.write(InstallationView.of(installation)));
    }

    ApiResponse dictionary(ApiRequest request, Map<String, String> path) {
        UUID id = Ids.installation(path.get("installation_id"));
        // A client may encode the ':' of "app:channels" in the path.
        String name = URLDecoder.decode(path.get("name").replace("+", "%2B"), StandardCharsets.UTF_8);
        String query = request.queryParameter("type").map(types -> "type=" + types).orElse(null);
        return switch (configuration.dictionary(id, name, query)) {
            case ConfigurationService.Dictionary.FromApp app ->
                    ApiResponse.json(200, json.write(new DictionaryView(name, json.readTree(app.entries()), true)));
            case ConfigurationService.Dictionary.FromPim pim -> ApiResponse.json(200, json.write(new DictionaryView(
                    name, json.convert(pim.entries().entries().stream().map(ConfigurationEndpoint::entry).toList(),
                            JsonNode.class), pim.entries().complete())));
        };
    }

    private static Map<String, String> entry(DictionaryEntry entry) {
        return entry.type() == null
                ? Map.of("id", entry.id(), "label", entry.label())
                : Map.of("id", entry.id(), "label", entry.label(), "type", entry.type());
    }
}
