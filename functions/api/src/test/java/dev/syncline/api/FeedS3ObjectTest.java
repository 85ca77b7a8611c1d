package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The feed's stable S3 object, the one {@code PublishFeeds} makes public: its key holds a random segment that a
 * rotation changes, the old object is deleted whenever the key changes, a feed behind basic credentials has no
 * published object and no {@code feed_s3_url}, an uninstall deletes the file, and a feed from before segments gets
 * one at its next promotion or rotation. Files are promoted as the worker does, through the same wiring.
 */
@AwsIntegrationTest
class FeedS3ObjectTest {

    private static final String PUBLISHED = ".*/feeds/%s/[0-9a-f]{64}/latest\\.csv";

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private UUID installation;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-feed", with(valid(app.baseUri(), "1.0.0"), "features", List.of("synchronization", "synchronization_full",
                "synchronization_file_download", "synchronization_file_download_latest")));
        installation = UUID.fromString(api.install("shop-feed").path("id").asText());
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void promotion_publishesUnderAnUnguessableSegment_thatStaysTheSameAcrossFiles() {
        promote("sku;name\nA;first\n");
        String s3Url = installationView().path("feed_s3_url").asText();

        promote("sku;name\nA;second\n");

        assertThat(s3Url).matches(PUBLISHED.formatted(installation));
        assertThat(installationView().path("feed_s3_url").asText()).as("constant while the token is").isEqualTo(s3Url);
        assertThat(feedObjects()).containsExactly(keyOf(s3Url));
        assertThat(read(keyOf(s3Url))).isEqualTo("sku;name\nA;second\n");
        assertThat(serve(feedUrl(), Map.of())).isEqualTo("sku;name\nA;second\n");
    }

    @Test
    void rotation_movesTheFileToANewSegment_andDeletesTheOldObject() {
        promote("sku;name\nA;rotated\n");
        String before = installationView().path("feed_s3_url").asText();

        JsonNode rotated = api.post("/v1/installations/" + installation + "/feed-token", null).json();

        String after = rotated.path("feed_s3_url").asText();
        assertThat(after).matches(PUBLISHED.formatted(installation)).isNotEqualTo(before);
        assertThat(installationView().path("feed_s3_url").asText()).isEqualTo(after);
        assertThat(feedObjects()).containsExactly(keyOf(after));
        assertThat(read(keyOf(after))).isEqualTo("sku;name\nA;rotated\n");
        assertThatThrownBy(() -> read(keyOf(before))).as("the old S3 URL").isInstanceOf(NoSuchKeyException.class);
        assertThat(serve(rotated.path("feed_url").asText(), Map.of())).isEqualTo("sku;name\nA;rotated\n");
    }

    @Test
    void basicAuth_leavesNoPublishedObject_evenAcrossPromotions_andRemovingItPublishesUnderAFreshSegment() {
        promote("sku;name\nA;guarded\n");
        String published = installationView().path("feed_s3_url").asText();

        JsonNode guarded = api.put("/v1/installations/" + installation + "/feed/basic-auth",
                Map.of("username", "shop", "password", "correct horse battery")).json();
        promote("sku;name\nA;still guarded\n");

        assertThat(guarded.path("basic_auth").asBoolean()).isTrue();
        assertThat(guarded.path("feed_s3_url").isNull()).as("S3 cannot ask for the credentials").isTrue();
        assertThat(installationView().has("feed_s3_url")).isFalse();
        assertThat(feedObjects()).as("only the key the bucket policy never publishes")
                .containsExactly("feeds/" + installation + "/latest.csv");
        assertThatThrownBy(() -> read(keyOf(published))).isInstanceOf(NoSuchKeyException.class);
        String credentials = "Basic " + Base64.getEncoder().encodeToString("shop:correct horse battery".getBytes(StandardCharsets.UTF_8));
        assertThat(serve(feedUrl(), Map.of("authorization", credentials))).isEqualTo("sku;name\nA;still guarded\n");

        JsonNode open = api.delete("/v1/installations/" + installation + "/feed/basic-auth").json();

        String reopened = open.path("feed_s3_url").asText();
        assertThat(reopened).matches(PUBLISHED.formatted(installation)).isNotEqualTo(published);
        assertThat(feedObjects()).containsExactly(keyOf(reopened));
        assertThat(read(keyOf(reopened))).isEqualTo("sku;name\nA;still guarded\n");
    }

    @Test
    void uninstall_deletesTheFeedsFile() {
        promote("sku;name\nA;gone\n");
        String s3Url = installationView().path("feed_s3_url").asText();

        assertThat(api.delete("/v1/installations/" + installation).status()).isEqualTo(200);

        assertThat(feedObjects()).isEmpty();
        assertThatThrownBy(() -> read(keyOf(s3Url))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aFeedFromBeforeSegments_showsNoS3Url_andGetsASegmentAtItsNextPromotion() {
        promote("sku;name\nA;old layout\n");
        String legacy = asBeforeSegments();

        assertThat(installationView().has("feed_s3_url")).as("the old key is guessable: not handed out").isFalse();
        assertThat(serve(feedUrl(), Map.of())).as("the feed URL still serves it").isEqualTo("sku;name\nA;old layout\n");

        promote("sku;name\nA;new layout\n");

        String s3Url = installationView().path("feed_s3_url").asText();
        assertThat(s3Url).matches(PUBLISHED.formatted(installation));
        assertThat(feedObjects()).containsExactly(keyOf(s3Url));
        assertThatThrownBy(() -> read(legacy)).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aFeedFromBeforeSegments_getsASegmentWhenItsTokenIsRotated() {
        promote("sku;name\nA;old layout\n");
        String legacy = asBeforeSegments();

        String s3Url = api.post("/v1/installations/" + installation + "/feed-token", null).json().path("feed_s3_url").asText();

        assertThat(s3Url).matches(PUBLISHED.formatted(installation));
        assertThat(feedObjects()).containsExactly(keyOf(s3Url));
        assertThat(read(keyOf(s3Url))).isEqualTo("sku;name\nA;old layout\n");
        assertThatThrownBy(() -> read(legacy)).isInstanceOf(NoSuchKeyException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Stores a run's file and promotes it, as the worker does once a run ended well. */
    private void promote(String csv) {
        Services services = api.services();
        UUID runId = UUID.randomUUID();
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        String key = RunFile.key(installation, runId, "products.csv");
        services.files().put(key, new ByteArrayInputStream(bytes), "text/csv");
        Instant now = Instant.now();
        services.feeds().promote(Run.start(runId, installation, SyncMode.FULL, "snapshot", now),
                new RunFile(runId, installation, key, "products.csv", bytes.length, TestDeployment.sha256(csv), "text/csv", now));
    }

    /** Puts the feed back as a deployment before segments left it: its file at feeds/<installation>/latest.csv. */
    private String asBeforeSegments() {
        String current = keyOf(installationView().path("feed_s3_url").asText());
        String legacy = "feeds/" + installation + "/latest.csv";
        stack.s3().copyObject(b -> b.sourceBucket(bucket()).sourceKey(current).destinationBucket(bucket()).destinationKey(legacy));
        stack.s3().deleteObject(b -> b.bucket(bucket()).key(current));
        stack.dynamoDb().updateItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", AttributeValue.fromS("INSTALLATION#" + installation), "sk", AttributeValue.fromS("FEED")))
                .updateExpression("SET latest_key = :key").expressionAttributeValues(Map.of(":key", AttributeValue.fromS(legacy))));
        return legacy;
    }

    private JsonNode installationView() {
        return api.get("/v1/installations/" + installation).json();
    }

    private String feedUrl() {
        return api.get("/v1/installations/" + installation + "/feed").json().path("feed_url").asText();
    }

    /** The body the feed URL answers a consumer with, who sends no API key. */
    private String serve(String feedUrl, Map<String, String> headers) {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", feedUrl.substring(feedUrl.indexOf("/feeds/")), headers, null));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return new String(Base64.getDecoder().decode(response.body()), StandardCharsets.UTF_8);
    }

    private List<String> feedObjects() {
        return stack.s3().listObjectsV2(b -> b.bucket(bucket()).prefix("feeds/" + installation + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    private String read(String key) {
        return stack.s3().getObjectAsBytes(b -> b.bucket(bucket()).key(key)).asUtf8String();
    }

    private static String keyOf(String s3Url) {
        return s3Url.substring(s3Url.indexOf("/feeds/") + 1);
    }

    private String bucket() {
        return stack.names().bucket();
    }
}
