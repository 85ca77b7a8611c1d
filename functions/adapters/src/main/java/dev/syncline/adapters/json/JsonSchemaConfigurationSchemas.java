package dev.syncline.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.syncline.core.SynclineException;
import dev.syncline.core.configuration.ConfigurationSchemas;
import dev.syncline.core.configuration.ConfigurationViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks configuration steps with networknt's JSON Schema validator. A schema without {@code $schema} is read as
 * draft 7 (what Ergonode Apps write). Schemas come from Apps, so a {@code $ref} to a remote document is never
 * fetched: only the specifications' own meta-schemas, bundled with the validator, are loaded.
 */
public final class JsonSchemaConfigurationSchemas implements ConfigurationSchemas {

    private final JsonCodec json;
    private final SchemaRegistry registry;

    private JsonSchemaConfigurationSchemas(JsonCodec json) {
        this.json = Objects.requireNonNull(json, "json");
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    }

    public static JsonSchemaConfigurationSchemas create(JsonCodec json) {
        return new JsonSchemaConfigurationSchemas(json);
    }

    @Override
    public int steps(String configurationSchema) {
        JsonNode steps = json.readTree(configurationSchema);
        return steps.isArray() ? steps.size() : 0;
    }

    @Override
    public List<ConfigurationViolation> validate(String configurationSchema, int index, String configuration) {
        JsonNode step = json.readTree(configurationSchema).path(index);
        JsonNode values = json.readTree(configuration);
        if (!values.isObject()) {
            return List.of(violation("", "The configuration must be a JSON object.", "{}"));
        }
        List<Error> errors;
        try {
            // References resolve lazily, while validating: a broken one surfaces here too.
            Schema schema = registry.getSchema(step);
            errors = schema.validate(values);
        } catch (SchemaException e) {
            // The App's own schema is broken: the user cannot fix that, the App author can.
            throw new SynclineException.Conflict("step " + index + " of the App's configuration_schema cannot be"
                    + " used: " + e.getMessage() + "; the App must register a manifest with a valid JSON Schema");
        }
        List<ConfigurationViolation> violations = new ArrayList<>();
        for (Error error : errors) {
            String path = propertyPath(error);
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("keyword", error.getKeyword());
            violations.add(violation(path, title(error), json.write(parameters)));
        }
        return violations;
    }

    @Override
    public String withoutSecrets(String configurationSchema, String stored) {
        JsonNode steps = json.readTree(configurationSchema);
        JsonNode values = json.readTree(stored);
        if (!values.isArray()) {
            return stored;
        }
        for (int index = 0; index < values.size() && index < steps.size(); index++) {
            removeSecrets(steps.get(index), values.get(index));
        }
        return json.write(values);
    }

    @Override
    public String keepingSecrets(String configurationSchema, int index, String submitted, String storedStep) {
        if (storedStep == null) {
            return submitted;
        }
        JsonNode values = json.readTree(submitted);
        JsonNode stored = json.readTree(storedStep);
        if (!(values instanceof ObjectNode object) || !stored.isObject()) {
            return submitted;
        }
        json.readTree(configurationSchema).path(index).path("properties").properties().forEach(property -> {
            if (isSecret(property.getValue()) && !object.has(property.getKey()) && stored.has(property.getKey())) {
                object.set(property.getKey(), stored.get(property.getKey()));
            }
        });
        return json.write(object);
    }

    // Top-level secrets and those of objects in arrays (a list of credentials).
    private static void removeSecrets(JsonNode schema, JsonNode values) {
        if (values instanceof ObjectNode object) {
            schema.path("properties").properties().forEach(property -> {
                if (isSecret(property.getValue())) {
                    object.remove(property.getKey());
                } else if (object.has(property.getKey())) {
                    removeSecrets(property.getValue(), object.get(property.getKey()));
                }
            });
        } else if (values.isArray()) {
            values.forEach(item -> removeSecrets(schema.path("items"), item));
        }
    }

    private static boolean isSecret(JsonNode property) {
        return "password".equals(property.path("widget").asText(null));
    }

    private static ConfigurationViolation violation(String path, String title, String parameters) {
        return new ConfigurationViolation(path, title, title, parameters);
    }

    // The protocol's propertyPath: "mapping[1].attribute"; a missing required property is named itself.
    private static String propertyPath(Error error) {
        StringBuilder path = new StringBuilder();
        NodePath location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer item) {
                path.append('[').append(item).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            path.append(path.isEmpty() ? "" : ".").append(error.getProperty());
        }
        return path.toString();
    }

    private static String title(Error error) {
        String message = error.getMessage();
        String prefix = error.getInstanceLocation() + ": ";
        message = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        message = message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return message.endsWith(".") ? message : message + ".";
    }
}
