package dev.syncline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TemplateDriftTest {

    private static final Path TEMPLATE = Path.of("../../template.yaml");

    @Test
    void template_declaresTheResourcesTheEmulatorsCreate() {
        assertThat(TemplateDrift.differences(TemplateDrift.readTemplate(TEMPLATE), ResourceDefinitions.SYNCLINE)).isEmpty();
    }

    @Test
    void drift_whenTemplateChangesAQueueVisibility_isReportedWithBothValues() throws IOException {
        String changed = Files.readString(TEMPLATE).replace("VisibilityTimeout: 720", "VisibilityTimeout: 30");

        assertThat(TemplateDrift.differences(TemplateDrift.parseTemplate(changed), ResourceDefinitions.SYNCLINE))
                .containsExactly("Queue WorkQueue VisibilityTimeout: ResourceDefinitions has 720, template.yaml has 30.");
    }

    @Test
    void drift_whenTemplateRedrivesToAnotherQueue_isReported() throws IOException {
        String changed = Files.readString(TEMPLATE)
                .replace("deadLetterTargetArn: !GetAtt WorkDeadLetterQueue.Arn", "deadLetterTargetArn: !GetAtt ControlDeadLetterQueue.Arn")
                .replace("maxReceiveCount: 5", "maxReceiveCount: 9");

        assertThat(TemplateDrift.differences(TemplateDrift.parseTemplate(changed), ResourceDefinitions.SYNCLINE))
                .containsExactlyInAnyOrder(
                        "Queue WorkQueue dead-letter queue: ResourceDefinitions has WorkDeadLetterQueue, template.yaml has ControlDeadLetterQueue.",
                        "Queue WorkQueue maxReceiveCount: ResourceDefinitions has 5, template.yaml has 9.");
    }

    @Test
    void drift_whenTemplateDropsTheIndex_isReported() throws IOException {
        JsonNode template = TemplateDrift.readTemplate(TEMPLATE);
        ((com.fasterxml.jackson.databind.node.ObjectNode) template.path("Resources").path("Table").path("Properties"))
                .remove("GlobalSecondaryIndexes");

        assertThat(TemplateDrift.differences(template, ResourceDefinitions.SYNCLINE))
                .contains("Table Table global secondary indexes: ResourceDefinitions has [gsi1], template.yaml has [].");
    }

    @Test
    void drift_whenDefinitionsChangeTheSortKey_isReported() {
        ResourceDefinitions changed = new ResourceDefinitions(
                new ResourceDefinitions.TableDefinition("Table", "pk", "sort",
                        ResourceDefinitions.SYNCLINE.table().globalSecondaryIndexes(), "expires_at"),
                ResourceDefinitions.SYNCLINE.queues(),
                ResourceDefinitions.SYNCLINE.bucket());

        assertThat(TemplateDrift.differences(TemplateDrift.readTemplate(TEMPLATE), changed))
                .contains("Table Table sort key: ResourceDefinitions has sort, template.yaml has sk.");
    }

    @Test
    void drift_whenTemplateAddsAnUndefinedQueue_isReported() throws IOException {
        String changed = Files.readString(TEMPLATE).replace("  # Snapshots, plan chunks and generated files.",
                "  ExtraQueue:\n    Type: AWS::SQS::Queue\n\n  # Snapshots, plan chunks and generated files.");

        assertThat(TemplateDrift.differences(TemplateDrift.parseTemplate(changed), ResourceDefinitions.SYNCLINE))
                .containsExactly("Queue ExtraQueue is in the template but not in ResourceDefinitions.");
    }
}
