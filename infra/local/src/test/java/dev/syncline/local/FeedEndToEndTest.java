package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated files and the constant feed URL through every real part: runs end by fetching the sample App's CSV
 * feed into S3, the run shows and serves its file, and one constant URL, read by a plain HTTP client without an API
 * key, serves each new good file with validators, conditions and ranges.
 */
@AwsIntegrationTest
class FeedEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> FILE_FEATURES = List.of("synchronization", "synchronization_full", "synchronization_file_download",
            "synchronization_file_download_latest");
    private static final List<String> EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;
    private AwsStack stack;
    /** A feed consumer: no API key, follows redirects like curl -L. */
    private final HttpClient consumer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        this.stack = stack;
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        app.close();
        // feeds.md has no replayed examples: this test's exchanges with the API stand for them.
        assertThat(api.outsideContract()).as("exchanges with the API that %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
    }

    @Test
    void oneConstantUrl_servesEachNewFile_acrossThreeRuns_andTheStableKeyHoldsTheSameBytes() throws Exception {
        String installation = install(2);
        JsonNode before = api.get("/v1/installations/" + installation).body();
        String feedUrl = before.path("feed_url").asText();
        assertThat(feedUrl).matches("http://127\\.0\\.0\\.1:\\d+/feeds/[0-9a-f]{64}");
        assertThat(fetch(feedUrl, Map.of()).statusCode()).as("no file before the first run").isEqualTo(404);
        // docs/feeds.md: the S3 URL only once a file was published, and neither URL in listings.
        assertThat(before.has("feed_s3_url")).as("feed_s3_url before the first file").isFalse();
        assertThat(api.get("/v1/installations/" + installation + "/feed").body().path("feed_s3_url").isNull()).isTrue();
        assertThat(api.get("/v1/installations").body().path("installations").findValues("feed_url")).isEmpty();

        TestCatalog catalog = TestCatalog.standard();
        String previousEtag = null;
        String previousS3Url = null;
        for (int run = 1; run <= 3; run++) {
            catalog.values("SKU-007").put("description", Map.of("en_GB", "Edition " + run));
            JsonNode ended = synchronize(installation, "incremental", catalog.ndjson());
            assertThat(ended.path("status").asText()).isEqualTo("finished");
            byte[] generated = app.productFeed(installation).orElseThrow().getBytes(StandardCharsets.UTF_8);

            String expected = "Edition " + run;
            // The feed switches once the file is stored, right after the run's end: a consumer polling with its ETag sees the new file.
            Map<String, String> conditional = previousEtag == null ? Map.of() : Map.of("If-None-Match", previousEtag);
            HttpResponse<byte[]> feed = awaitFeed(feedUrl, conditional, r -> r.statusCode() == 200
                    && new String(r.body(), StandardCharsets.UTF_8).contains(expected));
            assertThat(feed.statusCode()).as("run " + run).isEqualTo(200);
            assertThat(feed.body()).isEqualTo(generated);
            assertThat(new String(feed.body(), StandardCharsets.UTF_8)).contains("Edition " + run);
            assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
            assertThat(feed.headers().firstValue("X-Content-Type-Options")).as("never sniffed into a page").hasValue("nosniff");
            assertThat(feed.headers().firstValue("Content-Security-Policy")).as("never a page of the dashboard's origin")
                    .hasValue("sandbox");
            String etag = feed.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).isNotEqualTo(previousEtag);
            previousEtag = etag;

            JsonNode file = ended.path("file");
            assertThat(file.path("size_bytes").asLong()).isEqualTo(generated.length);
            assertThat(file.path("sha256").asText()).isEqualTo(sha256(generated));
            assertThat(file.path("content_type").asText()).startsWith("text/csv");
            assertThat(file.path("url").asText()).isEqualTo("/v1/synchronizations/" + ended.path("id").asText() + "/file");

            JsonNode view = api.get("/v1/installations/" + installation).body();
            assertThat(view.path("feed_url").asText()).as("the URL is constant").isEqualTo(feedUrl);
            String s3Url = view.path("feed_s3_url").asText();
            assertThat(s3Url).as("an unguessable segment, constant across files").matches(".*/feeds/" + installation + "/[0-9a-f]{64}/latest\\.csv");
            if (previousS3Url != null) {
                assertThat(s3Url).isEqualTo(previousS3Url);
            }
            previousS3Url = s3Url;
            assertThat(feedObjects(installation)).containsExactly(keyOf(s3Url));
            assertThat(stableObject(installation)).as("the stable S3 key, run " + run).isEqualTo(generated);
        }
    }

    @Test
    void runFile_isServedByRedirect_withItsTypeAndName() throws Exception {
        String installation = install(2);
        JsonNode ended = synchronize(installation, "full", TestCatalog.standard().ndjson());
        String path = ended.path("file").path("url").asText();

        HttpResponse<byte[]> redirect = noRedirects.send(HttpRequest.newBuilder(syncline.apiUri().resolve(path))
                .header("Authorization", "Bearer " + syncline.apiKey()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<byte[]> file = consumer.send(HttpRequest.newBuilder(URI.create(redirect.headers().firstValue("Location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(app.productFeed(installation).orElseThrow().getBytes(StandardCharsets.UTF_8));
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"products.csv\"");
        assertThat(api.get(path.replace(ended.path("id").asText(), java.util.UUID.randomUUID().toString())).status()).isEqualTo(404);
    }

    @Test
    void feed_answersHeadConditionsAndRanges() throws Exception {
        String installation = install(2);
        synchronize(installation, "full", TestCatalog.standard().ndjson());
        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        awaitFeed(feedUrl, Map.of(), r -> r.statusCode() == 200);
        byte[] generated = app.productFeed(installation).orElseThrow().getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> head = consumer.send(HttpRequest.newBuilder(URI.create(feedUrl)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(generated.length);
        assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        String etag = head.headers().firstValue("ETag").orElseThrow();
        String lastModified = head.headers().firstValue("Last-Modified").orElseThrow();

        assertThat(fetch(feedUrl, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(fetch(feedUrl, Map.of("If-None-Match", "\"other\", " + etag)).statusCode()).isEqualTo(304);
        assertThat(fetch(feedUrl, Map.of("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
        String anHourBefore = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusHours(1).withZoneSameInstant(ZoneOffset.UTC));
        HttpResponse<byte[]> modified = fetch(feedUrl, Map.of("If-Modified-Since", anHourBefore));
        assertThat(modified.statusCode()).isEqualTo(200);
        assertThat(modified.body()).isEqualTo(generated);

        HttpResponse<byte[]> range = fetch(feedUrl, Map.of("Range", "bytes=10-19"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(generated, 10, 20));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + generated.length);
        HttpResponse<byte[]> suffix = fetch(feedUrl, Map.of("Range", "bytes=-7"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(generated, generated.length - 7, generated.length));
        HttpResponse<byte[]> outdated = fetch(feedUrl, Map.of("Range", "bytes=0-9", "If-Range", "\"outdated\""));
        assertThat(outdated.statusCode()).as("If-Range with another ETag gets the whole file").isEqualTo(200);

        HttpResponse<byte[]> pastTheEnd = fetch(feedUrl, Map.of("Range", "bytes=" + generated.length + "-"));
        assertThat(pastTheEnd.statusCode()).isEqualTo(416);
        assertThat(pastTheEnd.headers().firstValue("Content-Range")).hasValue("bytes */" + generated.length);
    }

    @Test
    void multiMegabyteFile_isStreamedToS3_andServedByTheFeed() throws Exception {
        String installation = install(2);
        TestCatalog catalog = TestCatalog.standard();
        String filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(700); // about 40 kB
        for (int i = 1; i <= 250; i++) {
            String sku = String.format("BIG-%03d", i);
            catalog.product(sku, "SIMPLE", List.of("shoes"), Map.of("description", Map.of("en_GB", sku + " " + filler)),
                    List.of(), List.of(), List.of());
        }
        JsonNode ended = synchronize(installation, "full", catalog.ndjson());
        assertThat(ended.path("status").asText()).isEqualTo("finished");
        byte[] generated = app.productFeed(installation).orElseThrow().getBytes(StandardCharsets.UTF_8);
        assertThat(generated.length).as("above one 8 MiB multipart part").isGreaterThan(9 * 1024 * 1024);
        assertThat(ended.path("file").path("size_bytes").asLong()).isEqualTo(generated.length);
        assertThat(ended.path("file").path("sha256").asText()).isEqualTo(sha256(generated));

        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        awaitFeed(feedUrl, Map.of(), r -> r.statusCode() == 200);
        HttpResponse<byte[]> redirect = noRedirects.send(HttpRequest.newBuilder(URI.create(feedUrl)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(redirect.statusCode()).as("too large for a Lambda response").isEqualTo(302);
        assertThat(redirect.headers().firstValue("ETag")).isPresent();
        HttpResponse<byte[]> feed = fetch(feedUrl, Map.of());
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(sha256(feed.body())).isEqualTo(sha256(generated));
        assertThat(fetch(feedUrl, Map.of("If-None-Match", redirect.headers().firstValue("ETag").orElseThrow())).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> range = fetch(feedUrl, Map.of("Range", "bytes=9000000-9000099"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(generated, 9_000_000, 9_000_100));
        assertThat(sha256(stableObject(installation))).isEqualTo(sha256(generated));
    }

    @Test
    void failedFileFetch_leavesTheRunFinished_marksTheFileFailed_andNeverReplacesTheGoodFeed() throws Exception {
        String installation = install(1);
        TestCatalog catalog = TestCatalog.standard();
        synchronize(installation, "incremental", catalog.ndjson());
        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        HttpResponse<byte[]> good = awaitFeed(feedUrl, Map.of(), r -> r.statusCode() == 200);
        assertThat(good.statusCode()).isEqualTo(200);

        app.setFaults(Faults.none().withFailureRate(1.0));
        JsonNode failed = synchronize(installation, "incremental", catalog.ndjson());

        assertThat(failed.path("status").asText()).as("the file does not change the run's status").isEqualTo("finished");
        assertThat(failed.path("reason").isNull()).isTrue();
        assertThat(failed.path("file").path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("file").path("reason").asText()).contains("GET /download-file").contains("503").contains("2 attempts");
        assertThat(failed.path("file").has("url")).as("no file").isFalse();
        HttpResponse<byte[]> still = fetch(feedUrl, Map.of());
        assertThat(still.statusCode()).isEqualTo(200);
        assertThat(still.body()).isEqualTo(good.body());
        assertThat(still.headers().firstValue("ETag")).isEqualTo(good.headers().firstValue("ETag"));
        assertThat(stableObject(installation)).isEqualTo(good.body());
    }

    @Test
    void rotatedToken_makesTheOldUrlAnswer404_andBasicAuthGuardsTheFeed() throws Exception {
        String installation = install(2);
        synchronize(installation, "full", TestCatalog.standard().ndjson());
        String oldUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        byte[] generated = awaitFeed(oldUrl, Map.of(), r -> r.statusCode() == 200).body();
        String oldS3Url = api.get("/v1/installations/" + installation).body().path("feed_s3_url").asText();

        ApiClient.Answer rotated = api.post("/v1/installations/" + installation + "/feed-token", Map.of());
        assertThat(rotated.status()).isEqualTo(200);
        String newUrl = rotated.json("feed_url").asText();
        assertThat(newUrl).isNotEqualTo(oldUrl);
        String newS3Url = rotated.json("feed_s3_url").asText();
        assertThat(newS3Url).as("the S3 URL rotates with the token").isNotEqualTo(oldS3Url);
        assertThat(feedObjects(installation)).as("the old S3 object is gone").containsExactly(keyOf(newS3Url));
        assertThat(stableObject(installation)).isEqualTo(generated);
        assertThat(fetch(oldUrl, Map.of()).statusCode()).isEqualTo(404);
        assertThat(fetch(newUrl, Map.of()).body()).isEqualTo(generated);
        assertThat(api.get("/v1/installations/" + installation).body().path("feed_url").asText()).isEqualTo(newUrl);

        ApiClient.Answer protectedFeed = api.put("/v1/installations/" + installation + "/feed/basic-auth",
                Map.of("username", "shop", "password", "correct horse battery"));
        assertThat(protectedFeed.status()).isEqualTo(200);
        assertThat(protectedFeed.json("feed_s3_url").isNull()).as("S3 cannot ask for the credentials").isTrue();
        assertThat(api.get("/v1/installations/" + installation).body().has("feed_s3_url")).isFalse();
        assertThat(feedObjects(installation)).as("no published object, only the key the bucket policy never publishes")
                .containsExactly("feeds/" + installation + "/latest.csv");
        HttpResponse<byte[]> anonymous = fetch(newUrl, Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
        assertThat(fetch(newUrl, Map.of("Authorization", basic("shop", "wrong password!!"))).statusCode()).isEqualTo(401);
        assertThat(fetch(newUrl, Map.of("Authorization", basic("shop", "correct horse battery"))).body()).isEqualTo(generated);
        HttpResponse<String> unprotected = consumer.send(HttpRequest.newBuilder(syncline.apiUri().resolve("/v1/installations/" + installation
                + "/feed/basic-auth")).header("Authorization", "Bearer " + syncline.apiKey()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unprotected.statusCode()).isEqualTo(200);
        assertThat(fetch(newUrl, Map.of()).statusCode()).isEqualTo(200);
        assertThat(feedObjects(installation)).singleElement().satisfies(key -> assertThat(key).isNotEqualTo(keyOf(newS3Url))
                .matches("feeds/" + installation + "/[0-9a-f]{64}/latest\\.csv"));
    }

    @Test
    void uninstall_deletesTheFeedsS3Object() throws Exception {
        String installation = install(2);
        synchronize(installation, "full", TestCatalog.standard().ndjson());
        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        awaitFeed(feedUrl, Map.of(), r -> r.statusCode() == 200);
        assertThat(feedObjects(installation)).hasSize(1);

        ApiClient.Answer uninstalled = api.delete("/v1/installations/" + installation);

        assertThat(uninstalled.status()).isEqualTo(200);
        assertThat(feedObjects(installation)).isEmpty();
        assertThat(fetch(feedUrl, Map.of()).statusCode()).isEqualTo(404);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private String install(int retryBudget) {
        return api.installSampleApp(app.baseUri(), FILE_FEATURES, EVENTS, retryBudget);
    }

    private JsonNode synchronize(String installation, String mode, String ndjson) throws Exception {
        String snapshotId;
        if (ndjson.length() < 3 * 1024 * 1024) {
            ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
            assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
            snapshotId = snapshot.json("snapshot_id").asText();
        } else {
            ApiClient.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of());
            assertThat(upload.status()).as(String.valueOf(upload.body())).isEqualTo(201);
            HttpResponse<String> put = consumer.send(HttpRequest.newBuilder(URI.create(upload.json("upload_url").asText()))
                    .header("Content-Type", "application/x-ndjson").header("If-None-Match", "*")
                    .PUT(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            snapshotId = upload.json("snapshot_id").asText();
        }
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", mode, "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        String run = triggered.json("synchronization").path("id").asText();
        api.awaitRun(run, RUN_TIMEOUT);
        return api.awaitFile(run, RUN_TIMEOUT); // the file is fetched after the run ended
    }

    private HttpResponse<byte[]> fetch(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        return consumer.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> awaitFeed(String url, Map<String, String> headers, Predicate<HttpResponse<byte[]>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<byte[]> response;
        do {
            response = fetch(url, headers);
            if (done.test(response)) {
                return response;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the feed did not change within 20 s; last answer " + response.statusCode());
    }

    /** The bytes at the key the installation's feed_s3_url names. */
    private byte[] stableObject(String installation) {
        String key = keyOf(api.get("/v1/installations/" + installation).body().path("feed_s3_url").asText());
        return stack.s3().getObjectAsBytes(b -> b.bucket(stack.names().bucket()).key(key)).asByteArray();
    }

    /** Every object the bucket holds for the installation's feed. */
    private List<String> feedObjects(String installation) {
        return stack.s3().listObjectsV2(b -> b.bucket(stack.names().bucket()).prefix("feeds/" + installation + "/")).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }

    private static String keyOf(String s3Url) {
        return s3Url.substring(s3Url.indexOf("/feeds/") + 1);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
