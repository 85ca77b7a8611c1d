package dev.syncline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code template.yaml} as read by {@link TemplateDrift}'s YAML reader, with the questions the deployment tests
 * ask of it. CloudFormation's short tags are read as their plain scalars: {@code !Ref Table} is {@code "Table"},
 * {@code !GetAtt Table.Arn} is {@code "Table.Arn"}, {@code !Sub '${Bucket.Arn}/x/*'} is {@code "${Bucket.Arn}/x/*"},
 * {@code !If [c, a, b]} is the list {@code [c, a, b]}.
 */
record SamTemplate(JsonNode root) {

    static final Path FILE = Path.of("../../template.yaml");
    static final String FUNCTION = "AWS::Serverless::Function";

    static SamTemplate read() {
        return new SamTemplate(TemplateDrift.readTemplate(FILE));
    }

    static SamTemplate parse(String yaml) {
        return new SamTemplate(TemplateDrift.parseTemplate(yaml));
    }

    JsonNode resources() {
        return root.path("Resources");
    }

    JsonNode resource(String logicalId) {
        return resources().path(logicalId);
    }

    Set<String> resourceIds() {
        Set<String> ids = new TreeSet<>();
        resources().fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    Set<String> parameterIds() {
        Set<String> ids = new TreeSet<>();
        root.path("Parameters").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /** Logical ids of the resources of {@code type}, in template order. */
    List<String> idsOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        });
        return ids;
    }

    List<String> functions() {
        return idsOfType(FUNCTION);
    }

    /** A function's property, falling back to {@code Globals.Function} as SAM does; missing when neither has it. */
    JsonNode functionProperty(String function, String name) {
        JsonNode own = resource(function).path("Properties").path(name);
        return own.isMissingNode() ? root.path("Globals").path("Function").path(name) : own;
    }

    /** A function's environment: the global variables overlaid with its own, as SAM merges them. */
    Map<String, String> environment(String function) {
        Map<String, String> environment = new LinkedHashMap<>();
        root.path("Globals").path("Function").path("Environment").path("Variables").properties()
                .forEach(variable -> environment.put(variable.getKey(), variable.getValue().asText()));
        resource(function).path("Properties").path("Environment").path("Variables").properties()
                .forEach(variable -> environment.put(variable.getKey(), variable.getValue().asText()));
        return environment;
    }

    /** A function's events by name. */
    Map<String, JsonNode> events(String function) {
        Map<String, JsonNode> events = new LinkedHashMap<>();
        resource(function).path("Properties").path("Events").properties()
                .forEach(event -> events.put(event.getKey(), event.getValue()));
        return events;
    }

    /**
     * The statements of a function's inline policy documents. A statement under {@code !If [condition, statement,
     * !Ref AWS::NoValue]} counts as the statement.
     */
    List<JsonNode> policyStatements(String function) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : resource(function).path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                conditional(statement).ifPresentOrElse(statements::add, () -> statements.add(statement));
            }
        }
        return statements;
    }

    /** {@code value} or, for {@code !If [condition, value, !Ref AWS::NoValue]}, the value. */
    static Optional<JsonNode> conditional(JsonNode node) {
        if (node.isArray() && node.size() == 3 && node.get(0).isTextual() && "AWS::NoValue".equals(node.get(2).asText())) {
            return Optional.of(node.get(1));
        }
        return Optional.empty();
    }

    /** A single value or each value of a list, as IAM's Action and Resource take either. */
    static List<JsonNode> oneOrMany(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(values::add);
        } else if (!node.isMissingNode()) {
            values.add(node);
        }
        return values;
    }
}
