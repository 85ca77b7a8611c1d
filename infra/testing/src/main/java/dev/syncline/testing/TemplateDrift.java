package dev.syncline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.syncline.testing.ResourceDefinitions.IndexDefinition;
import dev.syncline.testing.ResourceDefinitions.QueueDefinition;
import dev.syncline.testing.ResourceDefinitions.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a SAM template with {@link ResourceDefinitions}: the same table keys, attribute types,
 * indexes and TTL attribute; the same queues with the same visibility, retention and redrive; the same
 * bucket. Each difference is reported as a sentence naming the resource and both values.
 */
public final class TemplateDrift {

    // CloudFormation's short tags (!Ref, !GetAtt, !Sub) are read as their plain scalar values.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TemplateDrift() {
    }

    public static JsonNode readTemplate(Path template) {
        try {
            return YAML.readTree(template.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + template, e);
        }
    }

    public static JsonNode parseTemplate(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse the template", e);
        }
    }

    /** Every difference between the template's resources and the definitions; empty when they agree. */
    public static List<String> differences(JsonNode template, ResourceDefinitions definitions) {
        List<String> differences = new ArrayList<>();
        JsonNode resources = template.path("Resources");
        compareTable(resources, definitions.table(), differences);
        for (QueueDefinition queue : definitions.queues()) {
            compareQueue(resources, queue, differences);
        }
        Set<String> defined = new HashSet<>();
        definitions.queues().forEach(q -> defined.add(q.logicalId()));
        resources.properties().forEach(resource -> {
            if ("AWS::SQS::Queue".equals(resource.getValue().path("Type").asText()) && !defined.contains(resource.getKey())) {
                differences.add("Queue " + resource.getKey() + " is in the template but not in ResourceDefinitions.");
            }
        });
        JsonNode bucket = resources.path(definitions.bucket().logicalId());
        if (!"AWS::S3::Bucket".equals(bucket.path("Type").asText())) {
            differences.add("Bucket " + definitions.bucket().logicalId() + " is not declared as an AWS::S3::Bucket in the template.");
        }
        return differences;
    }

    private static void compareTable(JsonNode resources, TableDefinition table, List<String> differences) {
        JsonNode node = resources.path(table.logicalId());
        if (!"AWS::DynamoDB::Table".equals(node.path("Type").asText())) {
            differences.add("Table " + table.logicalId() + " is not declared as an AWS::DynamoDB::Table in the template.");
            return;
        }
        JsonNode properties = node.path("Properties");
        String where = "Table " + table.logicalId();
        expect(differences, where + " partition key", table.partitionKey(), keyOf(properties.path("KeySchema"), "HASH"));
        expect(differences, where + " sort key", table.sortKey(), keyOf(properties.path("KeySchema"), "RANGE"));

        Set<String> expectedAttributes = new HashSet<>(Set.of(table.partitionKey(), table.sortKey()));
        for (IndexDefinition index : table.globalSecondaryIndexes()) {
            expectedAttributes.add(index.partitionKey());
            expectedAttributes.add(index.sortKey());
        }
        Set<String> declaredAttributes = new HashSet<>();
        for (JsonNode attribute : properties.path("AttributeDefinitions")) {
            declaredAttributes.add(attribute.path("AttributeName").asText());
            expect(differences, where + " attribute " + attribute.path("AttributeName").asText() + " type",
                    "S", attribute.path("AttributeType").asText());
        }
        expect(differences, where + " attribute definitions", new java.util.TreeSet<>(expectedAttributes).toString(),
                new java.util.TreeSet<>(declaredAttributes).toString());

        List<String> declaredIndexes = new ArrayList<>();
        for (JsonNode index : properties.path("GlobalSecondaryIndexes")) {
            declaredIndexes.add(index.path("IndexName").asText());
        }
        expect(differences, where + " global secondary indexes",
                table.globalSecondaryIndexes().stream().map(IndexDefinition::name).sorted().toList().toString(),
                declaredIndexes.stream().sorted().toList().toString());
        for (IndexDefinition index : table.globalSecondaryIndexes()) {
            for (JsonNode declared : properties.path("GlobalSecondaryIndexes")) {
                if (index.name().equals(declared.path("IndexName").asText())) {
                    String indexWhere = where + " index " + index.name();
                    expect(differences, indexWhere + " partition key", index.partitionKey(), keyOf(declared.path("KeySchema"), "HASH"));
                    expect(differences, indexWhere + " sort key", index.sortKey(), keyOf(declared.path("KeySchema"), "RANGE"));
                    expect(differences, indexWhere + " projection", "ALL", declared.path("Projection").path("ProjectionType").asText());
                }
            }
        }
        expect(differences, where + " time-to-live attribute", table.timeToLiveAttribute(),
                properties.path("TimeToLiveSpecification").path("AttributeName").asText(null));
    }

    private static void compareQueue(JsonNode resources, QueueDefinition queue, List<String> differences) {
        JsonNode node = resources.path(queue.logicalId());
        String where = "Queue " + queue.logicalId();
        if (!"AWS::SQS::Queue".equals(node.path("Type").asText())) {
            differences.add(where + " is not declared as an AWS::SQS::Queue in the template.");
            return;
        }
        JsonNode properties = node.path("Properties");
        expect(differences, where + " VisibilityTimeout", Integer.toString(queue.visibilityTimeoutSeconds()),
                properties.path("VisibilityTimeout").asText(null));
        expect(differences, where + " MessageRetentionPeriod", Integer.toString(queue.messageRetentionSeconds()),
                properties.path("MessageRetentionPeriod").asText(null));
        JsonNode redrive = properties.path("RedrivePolicy");
        String declaredTarget = redrive.isMissingNode() ? null : redrive.path("deadLetterTargetArn").asText().replaceFirst("\\.Arn$", "");
        expect(differences, where + " dead-letter queue", queue.deadLetterQueue(), declaredTarget);
        if (queue.deadLetterQueue() != null) {
            expect(differences, where + " maxReceiveCount", Integer.toString(queue.maxReceiveCount()),
                    redrive.path("maxReceiveCount").asText(null));
        }
    }

    private static String keyOf(JsonNode keySchema, String keyType) {
        for (JsonNode key : keySchema) {
            if (keyType.equals(key.path("KeyType").asText())) {
                return key.path("AttributeName").asText();
            }
        }
        return null;
    }

    private static void expect(List<String> differences, String what, String defined, String declared) {
        if (!Objects.equals(defined, declared)) {
            differences.add(what + ": ResourceDefinitions has " + defined + ", template.yaml has " + declared + ".");
        }
    }
}
