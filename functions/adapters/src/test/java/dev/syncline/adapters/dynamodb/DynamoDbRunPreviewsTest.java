package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunPreview;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class DynamoDbRunPreviewsTest {

    private AwsClientFactory clients;
    private DynamoDbRunPreviews previews;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        previews = new DynamoDbRunPreviews(clients.dynamoDb(), stack.names().table(), JsonCodec.create());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void save_thenFind_returnsThePreviewAsItWasSaved() {
        UUID runId = UUID.randomUUID();
        RunPreview preview = new RunPreview(
                List.of(new RunPreview.Change(Phase.ATTRIBUTES, "attribute_updated", 1, List.of(
                                new RunPreview.Sample(new ResourceKey(ResourceType.ATTRIBUTE, "color"), PlanReason.changed(List.of("options"))))),
                        new RunPreview.Change(Phase.PRODUCTS, "product_updated", 12, List.of(
                                new RunPreview.Sample(new ResourceKey(ResourceType.PRODUCT, "SKU-1"), PlanReason.fullRun())))),
                2,
                List.of(new SnapshotLine.Rejected(4, "invalid JSON", null),
                        new SnapshotLine.Rejected(9, "duplicate", new ResourceKey(ResourceType.PRODUCT, "SKU-1"))),
                0, 40, false, new RunPreview.Estimate(7, RunPreview.Basis.RECENT_RUNS, 3, 4), Instant.parse("2026-03-06T10:00:00Z"));

        previews.save(runId, preview);

        assertThat(previews.find(runId)).contains(preview);
        assertThat(previews.find(runId).orElseThrow().estimate().estimatedUsd()).as("priced before any run ended: no price").isNull();
        assertThat(previews.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void save_thenFind_keepsThePriceTheEstimateWasMadeWith() {
        UUID runId = UUID.randomUUID();
        RunPreview preview = new RunPreview(List.of(new RunPreview.Change(Phase.PRODUCTS, "product_created", 250, List.of())), 0, List.of(),
                0, 0, false, new RunPreview.Estimate(12, RunPreview.Basis.RECENT_RUNS, 2, 4).priced(0.0000476),
                Instant.parse("2026-03-06T10:00:00Z"));

        previews.save(runId, preview);

        assertThat(previews.find(runId).orElseThrow().estimate().estimatedUsd()).isEqualTo(0.0000476);
    }
}
