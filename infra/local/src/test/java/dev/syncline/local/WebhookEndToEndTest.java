package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PIM told instead of polling: whole runs through the API, the planner and workers, the emulators and the sample
 * App, with the PIM's receiver a small HTTP server here that checks every request's signature as docs/api.md tells a
 * PIM to.
 */
@AwsIntegrationTest
class WebhookEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    /** The first retry comes 5 s after the first attempt; the queue and the planner add a little. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(40);
    private static final List<String> EVENTS = List.of("attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted",
            "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;
    private Receiver receiver;

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        receiver = Receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
        syncline.close();
        app.close();
    }

    @Test
    void aFinishedRun_isPostedToTheWebhook_signed_withTheRunAsTheApiShowsIt() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        ApiClient.Answer set = api.patch("/v1/installations/" + installation, Map.of("webhook",
                Map.of("url", receiver.url(), "events", List.of("synchronization.started", "synchronization.ended"))));
        assertThat(set.status()).as(String.valueOf(set.body())).isEqualTo(200);
        String secret = set.json("webhook").path("signing_secret").asText();
        assertThat(secret).matches("[0-9a-f]{64}");

        String runId = run(installation);
        Received ended = receiver.await(r -> r.event().equals("synchronization.ended"));

        assertThat(verify(ended, secret)).as("the signature checks out with the secret shown once").isTrue();
        // The run as the API shows it, but for its cost: the usage is still being added up when the run ends.
        ObjectNode shownRun = (ObjectNode) api.get("/v1/synchronizations/" + runId).body().deepCopy();
        assertThat(shownRun.remove("cost")).as("the API shows the run's cost").isNotNull();
        assertThat(ApiClient.tree(ended.body())).isEqualTo(shownRun);
        assertThat(ApiClient.tree(ended.body()).has("cost")).as("a webhook carries no cost").isFalse();
        assertThat(ApiClient.tree(ended.body()).path("status").asText()).isEqualTo("finished");
        List<Received> received = receiver.received();
        assertThat(received).extracting(Received::event).containsExactly("synchronization.started", "synchronization.ended");
        assertThat(ApiClient.tree(received.getFirst().body()).path("id").asText()).isEqualTo(runId);
        assertThat(received).allSatisfy(r -> assertThat(verify(r, secret)).isTrue());
        assertThat(received).extracting(Received::delivery).doesNotHaveDuplicates();

        JsonNode deliveries = api.get("/v1/installations/" + installation + "/webhook-deliveries").body();
        assertThat(deliveries.path("deliveries")).hasSize(2);
        JsonNode newest = deliveries.path("deliveries").get(0);
        assertThat(newest.path("event").asText()).isEqualTo("synchronization.ended");
        assertThat(newest.path("id").asText()).isEqualTo(ended.delivery());
        assertThat(newest.path("synchronization_id").asText()).isEqualTo(runId);
        assertThat(newest.path("status").asText()).isEqualTo("delivered");
        assertThat(deliveries.path("next_cursor").isNull()).isTrue();

        JsonNode shown = api.get("/v1/installations/" + installation).body();
        assertThat(shown.path("webhook").path("url").asText()).isEqualTo(receiver.url());
        assertThat(shown.toString()).doesNotContain(secret).doesNotContain("signing_secret");
        assertThat(deliveries.toString()).doesNotContain(secret);
        assertThat(api.outsideContract()).as("exchanges with the API that %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
    }

    @Test
    void aReceiverThatFailsOnce_getsTheSameDeliveryAgain_andTheListingShowsBothAttempts() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        String secret = api.patch("/v1/installations/" + installation, Map.of("webhook", Map.of("url", receiver.url())))
                .json("webhook").path("signing_secret").asText();
        receiver.answerNext(500);

        String runId = run(installation);
        receiver.await(r -> r.status() == 204);

        List<Received> received = receiver.received();
        assertThat(received).extracting(Received::status).containsExactly(500, 204);
        assertThat(received).extracting(Received::event).containsOnly("synchronization.ended");
        assertThat(received).extracting(Received::delivery).containsOnly(received.getFirst().delivery());
        assertThat(received).extracting(Received::body).containsOnly(received.getFirst().body());
        assertThat(received).allSatisfy(r -> assertThat(verify(r, secret)).isTrue());
        JsonNode delivery = awaitDelivered(installation);
        assertThat(delivery.path("id").asText()).isEqualTo(received.getFirst().delivery());
        assertThat(delivery.path("synchronization_id").asText()).isEqualTo(runId);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
        assertThat(delivery.path("last_status").asInt()).isEqualTo(204);
        assertThat(delivery.path("next_attempt_at").isNull()).isTrue();
        assertThat(delivery.path("delivered_at").asText()).isNotEmpty();
    }

    @Test
    void aRunTheDeletionGuardHolds_isPostedAsAwaitingConfirmation_withWhatItWouldDelete() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        run(installation, TestCatalog.standard().ndjson(), "finished");
        String secret = api.patch("/v1/installations/" + installation, Map.of("webhook",
                Map.of("url", receiver.url(), "events", List.of("synchronization.awaiting_confirmation"))))
                .json("webhook").path("signing_secret").asText();

        String runId = run(installation, TestCatalog.truncatedNdjson(), "awaiting_confirmation");
        Received held = receiver.await(r -> r.event().equals("synchronization.awaiting_confirmation"));

        assertThat(verify(held, secret)).isTrue();
        JsonNode body = ApiClient.tree(held.body());
        assertThat(body.path("id").asText()).isEqualTo(runId);
        assertThat(body.path("status").asText()).isEqualTo("awaiting_confirmation");
        assertThat(body.path("deletion_guard").path("would_delete").asLong()).isEqualTo(47);
        assertThat(body.path("deletion_guard").path("confirm_url").asText()).isEqualTo("/v1/synchronizations/" + runId + "/confirm");
        api.post("/v1/synchronizations/" + runId + "/cancel", Map.of());
    }

    @Test
    void aRemovedWebhook_hearsNothingOfTheNextRun() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        api.patch("/v1/installations/" + installation, Map.of("webhook", Map.of("url", receiver.url())));
        ApiClient.Answer removed = api.patch("/v1/installations/" + installation, Collections.singletonMap("webhook", null));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().has("webhook")).isFalse();

        run(installation);

        assertThat(api.get("/v1/installations/" + installation + "/webhook-deliveries").json("deliveries")).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The check docs/api.md shows a PIM: HMAC-SHA256 of "t.body" keyed with the secret, compared in constant time. */
    private static boolean verify(Received request, String secret) {
        Map<String, String> parts = new java.util.HashMap<>();
        for (String part : request.signature().split(",")) {
            String[] pair = part.split("=", 2);
            parts.put(pair[0], pair[1]);
        }
        long t = Long.parseLong(parts.get("t"));
        if (Math.abs(Instant.now().getEpochSecond() - t) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts.get("t") + "." + request.body()).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String run(String installation) {
        return run(installation, TestCatalog.standard().ndjson(), "finished");
    }

    /** Triggers a run of {@code ndjson} and waits until it reaches {@code status}. */
    private String run(String installation, String ndjson, String status) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
        assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshot.json("snapshot_id").asText()));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        String runId = triggered.json("synchronization").path("id").asText();
        Instant deadline = Instant.now().plus(RUN_TIMEOUT);
        JsonNode run;
        do {
            run = api.get("/v1/synchronizations/" + runId).body();
            if (run.path("status").asText().equals(status)) {
                return runId;
            }
            Receiver.pause();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + runId + " was not " + status + " within " + RUN_TIMEOUT + "; last seen: " + run);
    }

    private JsonNode awaitDelivered(String installation) {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        JsonNode deliveries;
        do {
            deliveries = api.get("/v1/installations/" + installation + "/webhook-deliveries").json("deliveries");
            if (deliveries.size() == 1 && deliveries.get(0).path("status").asText().equals("delivered")) {
                return deliveries.get(0);
            }
            Receiver.pause();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no delivery was delivered within " + DELIVERY_TIMEOUT + "; last seen: " + deliveries);
    }

    /** One request the receiver got, and what it answered. */
    record Received(String event, String delivery, String signature, String body, int status) {
    }

    /** The PIM's end: records every POST and answers 204, or the statuses it was told to answer first. */
    static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final Queue<Received> received = new ConcurrentLinkedQueue<>();
        private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Receiver receiver = new Receiver(server);
            server.createContext("/hooks", exchange -> {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Integer next = receiver.scripted.poll();
                int status = next == null ? 204 : next;
                receiver.received.add(new Received(exchange.getRequestHeaders().getFirst("Syncline-Event"),
                        exchange.getRequestHeaders().getFirst("Syncline-Delivery"), exchange.getRequestHeaders().getFirst("Syncline-Signature"),
                        body, status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        void answerNext(int status) {
            scripted.add(status);
        }

        List<Received> received() {
            return new ArrayList<>(received);
        }

        Received await(Predicate<Received> wanted) {
            Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                for (Received request : received) {
                    if (wanted.test(request)) {
                        return request;
                    }
                }
                pause();
            }
            throw new AssertionError("the receiver got no such request within " + DELIVERY_TIMEOUT + "; it got " + received);
        }

        static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
