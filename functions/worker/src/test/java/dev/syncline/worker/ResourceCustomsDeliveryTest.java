package dev.syncline.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import dev.syncline.adapters.dynamodb.DynamoDbResourceCustoms;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.s3.S3DeliveredState;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.http.UpgradeRefusingServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code resource_customs} an App answers for a resource come back on that resource's later calls: the same
 * run's relations call, the next run's update; customs kept in DynamoDB before the delivered state kept them are
 * still sent, then moved; and a run leaves no customs item in DynamoDB.
 */
@AwsIntegrationTest
class ResourceCustomsDeliveryTest {

    private static final String CATALOG = """
            {"type":"product","sku":"SET-1","product_type":"GROUPING","values":{"stock":{"":10}},"children":[{"sku":"SKU-2","quantity":1}]}
            {"type":"product","sku":"SKU-2","product_type":"SIMPLE","values":{"stock":{"":5}}}
            """;
    private static final String CHANGED = CATALOG.replace("\"stock\":{\"\":10}", "\"stock\":{\"\":11}").replace("\"stock\":{\"\":5}", "\"stock\":{\"\":6}");
    private static final String CHANGED_AGAIN = CHANGED.replace("\"stock\":{\"\":11}", "\"stock\":{\"\":12}").replace("\"stock\":{\"\":6}", "\"stock\":{\"\":7}");
    private static final String SET_CUSTOMS = "{\"shop_id\":1000,\"price\":19.90}";
    private static final String LEGACY_CUSTOMS = "{\"shop_id\":2000}";

    private AwsStack stack;
    private UpgradeRefusingServer app;
    private TestDeployment deployment;
    private UUID installation;
    /** Whether the App answers customs for SET-1 when it is created. */
    private volatile boolean answering = true;

    /** An App that answers customs for SET-1 only, installed. */
    @BeforeEach
    void install(AwsStack stack) {
        this.stack = stack;
        app = UpgradeRefusingServer.start(request -> answering && request.path().equals("/consume/product_created")
                && request.bodyText().contains("\"id\":\"SET-1\"")
                ? UpgradeRefusingServer.Response.json(200, "{\"resource_customs\":" + SET_CUSTOMS + "}")
                : UpgradeRefusingServer.Response.json(200, "{}"));
        deployment = TestDeployment.start(stack);
        installation = deployment.install(URI.create(app.baseUrl()), "[]", List.of());
    }

    @AfterEach
    void uninstall() {
        try {
            deployment.close();
        } finally {
            app.close();
        }
    }

    @Test
    void customsAnsweredOnCreate_comeBackOnTheSameRunsRelationsAndTheNextRunsUpdate_withoutAnyCustomsItemInDynamoDb() {
        run(installation, UUID.randomUUID(), CATALOG);

        assertThat(bodies("/consume/product_created", "SET-1")).singleElement().satisfies(created ->
                assertThat(created).contains("\"resource_customs\":null"));
        List<String> sameRun = bodies("/consume/product_updated", "SET-1");
        assertThat(sameRun).as("the relations call of the run that created SET-1").singleElement().satisfies(relations ->
                assertThat(relations).contains("\"resource_customs\":" + SET_CUSTOMS));
        assertThat(bodies("/consume/product_created", "SKU-2")).singleElement().satisfies(other ->
                assertThat(other).contains("\"resource_customs\":null"));
        assertThat(customsItems()).as("customs items in DynamoDB after the first run").isZero();

        int before = app.received().size();
        run(installation, UUID.randomUUID(), CHANGED);

        List<String> next = bodiesSince(before, "/consume/product_updated", "SET-1");
        assertThat(next).singleElement().satisfies(update -> assertThat(update)
                .contains("\"value\":11")
                .contains("\"resource_customs\":" + SET_CUSTOMS));
        assertThat(bodiesSince(before, "/consume/product_updated", "SKU-2")).singleElement().satisfies(update ->
                assertThat(update).contains("\"resource_customs\":null"));
        assertThat(customsItems()).as("customs items in DynamoDB after the second run").isZero();
    }

    @Test
    void customsKeptInDynamoDbBeforeTheStateKeptThem_areSentOnTheNextUpdate_thenMovedIntoTheState() throws IOException {
        answering = false;
        run(installation, UUID.randomUUID(), CATALOG);
        // As an earlier version left it: delivery records that say nothing of customs, and the customs in DynamoDB.
        writeRecordsAsBefore(installation);
        new DynamoDbResourceCustoms(stack.dynamoDb(), stack.names().table(), JsonCodec.create())
                .update(installation, Map.of(new ResourceKey(ResourceType.PRODUCT, "SET-1"), Map.of("shop_id", new BigDecimal("2000"))), List.of());
        assertThat(customsItems()).isEqualTo(1);

        int before = app.received().size();
        run(installation, UUID.randomUUID(), CHANGED);

        assertThat(bodiesSince(before, "/consume/product_updated", "SET-1")).singleElement().satisfies(update ->
                assertThat(update).contains("\"value\":11").contains("\"resource_customs\":" + LEGACY_CUSTOMS));
        assertThat(bodiesSince(before, "/consume/product_updated", "SKU-2")).singleElement().satisfies(update ->
                assertThat(update).contains("\"resource_customs\":null"));
        assertThat(customsItems()).as("the customs moved into the delivered state").isZero();

        int again = app.received().size();
        run(installation, UUID.randomUUID(), CHANGED_AGAIN);

        assertThat(bodiesSince(again, "/consume/product_updated", "SET-1")).singleElement().satisfies(update ->
                assertThat(update).contains("\"value\":12").contains("\"resource_customs\":" + LEGACY_CUSTOMS));
    }

    private void run(UUID installation, UUID run, String catalog) {
        DeliveredRuns.run(deployment, installation, run, catalog);
    }

    private List<String> bodies(String path, String sku) {
        return bodiesSince(0, path, sku);
    }

    /** The bodies the App received at {@code path} for {@code sku}, from its {@code from}th request on. */
    private List<String> bodiesSince(int from, String path, String sku) {
        return app.received().subList(from, app.received().size()).stream()
                .filter(request -> request.path().equals(path) && request.bodyText().contains("\"id\":\"" + sku + "\""))
                .map(UpgradeRefusingServer.Request::bodyText)
                .toList();
    }

    /** The items kept per resource for customs, in the whole table. */
    private int customsItems() {
        return stack.dynamoDb().scanPaginator(b -> b.tableName(stack.names().table()))
                .items().stream()
                .map(item -> item.get("pk"))
                .map(AttributeValue::s)
                .filter(pk -> pk.startsWith("CUSTOMS#"))
                .mapToInt(pk -> 1)
                .sum();
    }

    /**
     * Rewrites the installation's delivery records without their customs count, as written before they kept customs:
     * gzip files at keys ending in .gz.
     */
    private void writeRecordsAsBefore(UUID installation) throws IOException {
        String bucket = stack.names().bucket();
        List<S3Object> records = stack.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(S3DeliveredState.prefix(installation) + "delivered/"))
                .contents().stream().toList();
        assertThat(records).isNotEmpty();
        for (S3Object record : records) {
            byte[] zstd = stack.s3().getObjectAsBytes(b -> b.bucket(bucket).key(record.key())).asByteArray();
            String text;
            try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int firstLine = text.indexOf('\n');
            String header = text.substring(0, firstLine);
            assertThat(header).endsWith(",\"customs\":0}");
            String older = header.replace(",\"customs\":0}", "}") + text.substring(firstLine);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(older.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(record.key()).endsWith(".ndjson.zst");
            String before = record.key().substring(0, record.key().length() - ".zst".length()) + ".gz";
            stack.s3().putObject(b -> b.bucket(bucket).key(before), RequestBody.fromBytes(bytes.toByteArray()));
            stack.s3().deleteObject(b -> b.bucket(bucket).key(record.key()));
        }
    }
}
