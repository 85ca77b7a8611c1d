package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a run ends, through every real part, with the sample App behind an {@link AppGate}: the run's status comes
 * first, then {@code synchronization_ended}, then the App's file, fetched on the control queue, stored and promoted;
 * the file's own status says what became of it; notices to the App are retried like entries, one
 * {@code X-Idempotency-Key} per notice, and the run shows how they went.
 */
@AwsIntegrationTest
class RunEndingEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> FILE_FEATURES = List.of("synchronization", "synchronization_full", "synchronization_file_download",
            "synchronization_file_download_latest");
    private static final List<String> EVENTS = List.of("attribute_created", "attribute_updated", "attribute_deleted", "category_created",
            "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted", "synchronization_started",
            "synchronization_ended");
    private static final String ENDED = "/consume/synchronization_ended";

    private AwsStack stack;
    private SampleApp app;
    private AppGate gate;
    private LocalSyncline.Options options;
    private LocalSyncline syncline;
    private ApiClient api;
    private final HttpClient consumer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        this.stack = stack;
        app = SampleApp.start(0);
        gate = AppGate.start(app.baseUri());
        options = LocalSyncline.Options.forTests(stack);
        syncline = LocalSyncline.start(options);
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        gate.close();
        app.close();
        assertThat(api.outsideContract()).as("exchanges with the API that %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
    }

    @Test
    void slowFile_doesNotHoldTheRun_itsStatusComesFirst_thenTheFileGoesFromPendingToStored() throws Exception {
        String installation = api.installSampleApp(gate.baseUri(), FILE_FEATURES, EVENTS, 1);
        gate.hold("/download-file");

        JsonNode ended = api.awaitRun(trigger(installation), RUN_TIMEOUT);
        gate.awaitHeld(1, Duration.ofSeconds(30));

        assertThat(ended.path("status").asText()).as("the run ended while its file is on its way").isEqualTo("finished");
        JsonNode pending = api.get("/v1/synchronizations/" + ended.path("id").asText()).body();
        assertThat(pending.path("file").path("status").asText()).isEqualTo("pending");
        assertThat(pending.path("file").has("url")).as("nothing to download yet").isFalse();
        assertThat(pending.path("current_phase").isNull()).isTrue();
        assertThat(api.get("/v1/synchronizations/" + ended.path("id").asText() + "/file").status()).isEqualTo(404);
        assertThat(gate.seen().stream().map(AppGate.Seen::path).toList()).as("the App heard of the end before it was asked for the file")
                .contains(ENDED).doesNotContain("/download-file");

        gate.release();
        JsonNode stored = api.awaitFile(ended.path("id").asText(), RUN_TIMEOUT);
        assertThat(stored.path("status").asText()).isEqualTo("finished");
        assertThat(stored.path("file").path("status").asText()).isEqualTo("stored");
        byte[] generated = app.productFeed(installation).orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored.path("file").path("size_bytes").asLong()).isEqualTo(generated.length);
        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        assertThat(awaitFeed(feedUrl, r -> r.statusCode() == 200).body()).as("promoted once stored").isEqualTo(generated);
    }

    @Test
    void fileOverTheCap_endsTooLarge_storesNothing_andTheFeedKeepsItsFile() throws Exception {
        String installation = api.installSampleApp(gate.baseUri(), FILE_FEATURES, EVENTS, 1);
        String first = api.awaitFile(api.awaitRun(trigger(installation), RUN_TIMEOUT).path("id").asText(), RUN_TIMEOUT)
                .path("id").asText();
        String feedUrl = api.get("/v1/installations/" + installation).body().path("feed_url").asText();
        HttpResponse<byte[]> good = awaitFeed(feedUrl, r -> r.statusCode() == 200);

        // The same deployment, now storing files of at most 100 bytes.
        syncline.close();
        syncline = LocalSyncline.start(options, Clock.systemUTC(), Map.of(Config.FILE_MAX_BYTES, "100"));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        String second = api.awaitRun(trigger(installation), RUN_TIMEOUT).path("id").asText();
        JsonNode refused = api.awaitFile(second, RUN_TIMEOUT);

        assertThat(refused.path("status").asText()).as("the file does not change the run's status").isEqualTo("finished");
        assertThat(refused.path("reason").isNull()).isTrue();
        assertThat(refused.path("file").path("status").asText()).isEqualTo("too_large");
        assertThat(refused.path("file").path("reason").asText()).contains("100 bytes").contains("SYNCLINE_FILE_MAX_BYTES");
        assertThat(objects("files/" + installation + "/" + second + "/")).as("nothing stored").isEmpty();
        assertThat(objects("files/" + installation + "/" + first + "/")).hasSize(1);
        assertThat(stack.s3().listMultipartUploads(b -> b.bucket(stack.names().bucket())).uploads()).as("no upload left open").isEmpty();
        HttpResponse<byte[]> still = fetch(api.get("/v1/installations/" + installation).body().path("feed_url").asText());
        assertThat(still.body()).isEqualTo(good.body());
        assertThat(still.headers().firstValue("ETag")).isEqualTo(good.headers().firstValue("ETag"));
    }

    @Test
    void fileTricklingPastTheFetchDeadline_isCut_endsFailed_andLeavesNothingBehind() throws Exception {
        syncline.close();
        syncline = LocalSyncline.start(options, Clock.systemUTC(), Map.of(Config.FILE_FETCH_TIMEOUT_SECONDS, "3"));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        String installation = api.installSampleApp(gate.baseUri(), FILE_FEATURES, EVENTS, 1);
        gate.trickle("/download-file", Duration.ofMillis(500)); // the CSV of the standard catalog needs well over 3 s

        String run = api.awaitRun(trigger(installation), RUN_TIMEOUT).path("id").asText();
        Instant ended = Instant.now();
        JsonNode cut = api.awaitFile(run, RUN_TIMEOUT);

        assertThat(Duration.between(ended, Instant.now())).as("the fetch gave up at its deadline").isLessThan(Duration.ofSeconds(15));
        assertThat(cut.path("status").asText()).isEqualTo("finished");
        assertThat(cut.path("file").path("status").asText()).isEqualTo("failed");
        assertThat(cut.path("file").path("reason").asText()).contains("GET /download-file").contains("the transfer did not end before the fetch's deadline");
        assertThat(objects("files/" + installation + "/" + run + "/")).as("nothing stored").isEmpty();
        assertThat(stack.s3().listMultipartUploads(b -> b.bucket(stack.names().bucket())).uploads()).as("no upload left open").isEmpty();
        assertThat(api.get("/v1/installations/" + installation).body().path("feed_url").asText())
                .satisfies(feed -> assertThat(fetch(feed).statusCode()).as("no feed from a cut file").isEqualTo(404));
    }

    @Test
    void notice_answered503Then200_reachesTheAppTwiceWithOneKey_andTheRunSaysDelivered() {
        String installation = api.installSampleApp(gate.baseUri(), List.of("synchronization"), EVENTS, 2);
        gate.fail(ENDED, 503, 1);

        String run = api.awaitRun(trigger(installation), RUN_TIMEOUT).path("id").asText();
        JsonNode ended = awaitNotice(run, "synchronization_ended");

        List<AppGate.Seen> sent = gate.seen().stream().filter(seen -> seen.path().equals(ENDED)).toList();
        assertThat(sent).extracting(AppGate.Seen::status).containsExactly(503, 204);
        assertThat(sent).extracting(AppGate.Seen::idempotencyKey).doesNotContainNull().containsOnly(sent.getFirst().idempotencyKey());
        JsonNode notice = notice(ended, "synchronization_ended");
        assertThat(notice.path("status").asText()).isEqualTo("delivered");
        assertThat(notice.path("attempts").asInt()).isEqualTo(2);
        assertThat(notice.path("idempotency_key").asText()).isEqualTo(sent.getFirst().idempotencyKey());
        JsonNode started = notice(ended, "synchronization_started");
        assertThat(started.path("status").asText()).isEqualTo("delivered");
        assertThat(started.path("idempotency_key").asText()).as("one key per notice").isNotEqualTo(sent.getFirst().idempotencyKey());
        assertThat(ended.path("status").asText()).isEqualTo("finished");
    }

    @Test
    void notice_alwaysRefused_isRecordedFailedWithTheLastAnswer_andTheRunStillEnds() {
        String installation = api.installSampleApp(gate.baseUri(), List.of("synchronization"), EVENTS, 1);
        gate.fail(ENDED, 503, -1);

        String run = api.awaitRun(trigger(installation), RUN_TIMEOUT).path("id").asText();
        JsonNode ended = awaitNotice(run, "synchronization_ended");

        assertThat(gate.seen().stream().filter(seen -> seen.path().equals(ENDED)).count()).as("retry budget 1: two attempts").isEqualTo(2);
        JsonNode notice = notice(ended, "synchronization_ended");
        assertThat(notice.path("status").asText()).isEqualTo("failed");
        assertThat(notice.path("attempts").asInt()).isEqualTo(2);
        assertThat(notice.path("last_status").asInt()).isEqualTo(503);
        assertThat(notice.path("last_answer").asText()).startsWith("gave up after 2 attempts; last: HTTP 503");
        assertThat(ended.path("status").asText()).isEqualTo("finished");
        assertThat(trigger(installation)).as("the installation is free for its next run").isNotBlank();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private String trigger(String installation) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshot.json("snapshot_id").asText()));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return triggered.json("synchronization").path("id").asText();
    }

    /** The run once its notice of {@code event} is recorded: the run's status is set before the App is told. */
    private JsonNode awaitNotice(String run, String event) {
        return api.awaitRunView(run, RUN_TIMEOUT, view -> notice(view, event) != null, "recorded no " + event + " notice");
    }

    private static JsonNode notice(JsonNode run, String event) {
        return StreamSupport.stream(run.path("notifications").spliterator(), false)
                .filter(notice -> notice.path("event").asText().equals(event)).findFirst().orElse(null);
    }

    private List<String> objects(String prefix) {
        return stack.s3().listObjectsV2(b -> b.bucket(stack.names().bucket()).prefix(prefix)).contents().stream()
                .map(object -> object.key()).toList();
    }

    private HttpResponse<byte[]> fetch(String url) throws Exception {
        return consumer.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> awaitFeed(String url, Predicate<HttpResponse<byte[]>> done) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        HttpResponse<byte[]> response;
        do {
            response = fetch(url);
            if (done.test(response)) {
                return response;
            }
            pause();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the feed did not change within 20 s; last answer " + response.statusCode());
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
