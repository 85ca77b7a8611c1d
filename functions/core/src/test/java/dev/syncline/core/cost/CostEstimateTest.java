package dev.syncline.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    private static final AwsPrices PRICES = AwsPrices.US_EAST_1.with("2030-01-02", Map.of(
            "dynamodb_per_million_write_units", 2.0, "dynamodb_per_million_read_units", 0.5, "sqs_per_million_requests", 3.0,
            "s3_per_thousand_puts", 0.01, "s3_per_thousand_gets", 0.001, "lambda_arm_per_gb_second", 0.00002,
            "lambda_per_million_requests", 0.4, "kms_per_ten_thousand_requests", 0.05));

    @Test
    void of_pricesEachServiceByWhatAwsBills() {
        RunUsage usage = RunUsage.none()
                .plusRequest("DynamoDb", "BatchWriteItem", new RunUsage.Requests(4, 0, 100))
                .plusRequest("DynamoDb", "GetItem", new RunUsage.Requests(10, 10, 0))
                .plusRequest("S3", "PutObject", new RunUsage.Requests(3, 0, 0))
                .plusRequest("S3", "GetObject", new RunUsage.Requests(5, 0, 0))
                .plusRequest("S3", "DeleteObjects", new RunUsage.Requests(7, 0, 0))
                .plusRequest("Sqs", "SendMessageBatch", new RunUsage.Requests(2, 0, 0))
                .plusRequest("Kms", "Decrypt", new RunUsage.Requests(1, 0, 0))
                .plusInvocation("worker", 2.0)
                .plusInvocation("planner", 4.0);

        CostEstimate cost = CostEstimate.of(usage, PRICES);

        assertThat(cost.dollars().get("DynamoDb")).isCloseTo(100 * 2.0 / 1e6 + 10 * 0.5 / 1e6, within(1e-15));
        assertThat(cost.dollars().get("S3")).as("deletes are free").isCloseTo(3 * 0.01 / 1e3 + 5 * 0.001 / 1e3, within(1e-15));
        assertThat(cost.dollars().get("Sqs")).isCloseTo(2 * 3.0 / 1e6, within(1e-15));
        assertThat(cost.dollars().get("Kms")).isCloseTo(0.05 / 1e4, within(1e-15));
        assertThat(cost.dollars().get("Lambda")).isCloseTo(6.0 * 0.00002 + 2 * 0.4 / 1e6, within(1e-15));
        assertThat(cost.total()).isCloseTo(cost.dollars().values().stream().mapToDouble(Double::doubleValue).sum(), within(1e-15));
        assertThat(cost.prices().asOf()).hasToString("2030-01-02");
    }

    @Test
    void of_nothingUsed_costsNothing() {
        CostEstimate cost = CostEstimate.of(RunUsage.none(), AwsPrices.US_EAST_1);

        assertThat(cost.dollars()).isEmpty();
        assertThat(cost.total()).isZero();
    }
}
