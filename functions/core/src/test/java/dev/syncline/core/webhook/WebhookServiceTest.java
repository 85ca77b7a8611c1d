package dev.syncline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.InMemoryAppStore;
import dev.syncline.core.app.TestClock;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.installation.InMemoryInstallationStore;
import dev.syncline.core.installation.InMemorySecretVault;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.ScriptedAppClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookServiceTest {

    private static final UUID INSTALLATION = UUID.fromString("6f1c2a9e-8d4b-4f0a-9c3e-2b7d5e1f0a11");
    private static final UUID RUN = UUID.fromString("0b6e4c1a-2f3d-4e5a-8b9c-1d2e3f4a5b6c");

    private final TestClock clock = TestClock.at("2026-12-04T10:00:00Z");
    private final InMemoryWebhooks store = new InMemoryWebhooks();
    private final List<Queued> queued = new ArrayList<>();
    private final Deque<DeliveryAttempt> answers = new ArrayDeque<>();
    private final List<Posted> posted = new ArrayList<>();
    private String runJson = "{\"id\":\"" + RUN + "\",\"status\":\"finished\"}";
    private final InMemorySecretVault vault = new InMemorySecretVault();
    private final WebhookService service = service(true);

    record Queued(UUID installationId, UUID deliveryId, Duration delay) {
    }

    record Posted(HttpUrl url, Map<String, String> headers, String body) {
    }

    @Test
    void attempt_postsTheRunSignedWithTheSecretShownWhenTheWebhookWasSet() throws Exception {
        String secret = set(List.of("synchronization.ended")).signingSecret();
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        answers.add(answered(204));

        attemptQueued();

        Posted post = posted.getFirst();
        assertThat(post.url().toString()).isEqualTo("https://pim.example.com/hooks");
        assertThat(post.body()).isEqualTo(runJson);
        assertThat(post.headers()).containsEntry("Syncline-Event", "synchronization.ended").containsEntry("Content-Type", "application/json");
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + runJson).getBytes(StandardCharsets.UTF_8)));
        assertThat(post.headers().get("Syncline-Signature")).isEqualTo("t=" + timestamp + ",v1=" + expected);
        WebhookDelivery delivery = only();
        assertThat(delivery.state()).isEqualTo(WebhookDelivery.State.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastStatus()).isEqualTo(204);
        assertThat(delivery.deliveredAt()).isEqualTo(clock.instant());
        assertThat(post.headers().get("Syncline-Delivery")).isEqualTo(delivery.id().toString());
        assertThat(queued).isEmpty();
    }

    @Test
    void failingAttempts_areRetriedAfterGrowingWaits_withTheSameIdAndBody_andGiveUpAfterSix() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 10 && !queued.isEmpty(); i++) {
            answers.add(answered(500));
            Duration wait = queued.getFirst().delay();
            waits.add(wait);
            clock.advance(wait);
            attemptQueued();
            runJson = "{\"changed\":" + i + "}"; // later renders must not change what is sent
        }

        assertThat(waits).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(40));
        assertThat(posted).hasSize(WebhookService.MAX_ATTEMPTS);
        assertThat(posted).extracting(p -> p.headers().get("Syncline-Delivery")).containsOnly(only().id().toString());
        assertThat(posted).extracting(Posted::body).containsOnly("{\"id\":\"" + RUN + "\",\"status\":\"finished\"}");
        WebhookDelivery delivery = only();
        assertThat(delivery.state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(delivery.attempts()).isEqualTo(6);
        assertThat(delivery.lastAnswer()).isEqualTo("answered 500: busy; gave up after 6 attempts");
        assertThat(delivery.nextAttemptAt()).isNull();
    }

    @Test
    void a410_stopsTheAttempts() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        answers.add(answered(410));

        attemptQueued();

        assertThat(only().state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(only().lastAnswer()).contains("410 Gone stops the attempts");
        assertThat(queued).isEmpty();
    }

    @Test
    void anUnreachableReceiver_isRetried() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        answers.add(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no answer within 10000 ms"));

        attemptQueued();

        assertThat(only().state()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(only().lastStatus()).isNull();
        assertThat(only().lastAnswer()).isEqualTo("no answer within 10000 ms");
        assertThat(queued).containsExactly(new Queued(INSTALLATION, only().id(), Duration.ofSeconds(5)));
    }

    @Test
    void aMessageThatComesBeforeItsAttemptIsDue_isQueuedAgainForTheRest_withoutACall() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        for (int i = 0; i < 4; i++) {
            answers.add(answered(503));
            clock.advance(queued.getFirst().delay());
            attemptQueued();
        }
        assertThat(queued.getFirst().delay()).isEqualTo(Duration.ofMinutes(15));

        clock.advance(Duration.ofMinutes(5));
        attemptQueued();

        assertThat(posted).hasSize(4);
        assertThat(queued).containsExactly(new Queued(INSTALLATION, only().id(), Duration.ofMinutes(10)));
    }

    @Test
    void aRepeatedMessage_forADeliveredDelivery_callsNobody() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        Queued message = queued.getFirst();
        answers.add(answered(200));
        attemptQueued();

        service.attempt(message.installationId(), message.deliveryId());

        assertThat(posted).hasSize(1);
    }

    @Test
    void announce_queuesOnlyTheEventsTheWebhookSubscribesTo() {
        set(List.of("synchronization.started", "file.stored"));

        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_AWAITING_CONFIRMATION);
        service.announce(INSTALLATION, RUN, WebhookEvent.FILE_STORED);
        service.announce(UUID.randomUUID(), RUN, WebhookEvent.FILE_STORED);

        assertThat(store.deliveries.values()).extracting(WebhookDelivery::event).containsExactly(WebhookEvent.FILE_STORED);
        assertThat(queued).hasSize(1);
    }

    @Test
    void aWebhookRemovedMeanwhile_failsItsDeliveries_withoutACall() {
        set(null);
        service.announce(INSTALLATION, RUN, WebhookEvent.SYNCHRONIZATION_ENDED);
        service.remove(INSTALLATION);

        attemptQueued();

        assertThat(posted).isEmpty();
        assertThat(only().state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(only().lastAnswer()).isEqualTo("the webhook was removed; no more attempts");
    }

    @Test
    void settingTheWebhookAgain_rotatesItsSecret() {
        String first = set(null).signingSecret();
        String second = set(null).signingSecret();

        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(second).matches("[0-9a-f]{64}").isNotEqualTo(first);
        assertThat(vault.decrypt(store.find(INSTALLATION).orElseThrow().secret(), INSTALLATION).reveal()).isEqualTo(second);
    }

    @Test
    void check_withoutEvents_subscribesToTheEndOfRuns() {
        assertThat(service.check(new WebhookRequest("https://pim.example.com/hooks", null)).events())
                .containsExactly(WebhookEvent.SYNCHRONIZATION_ENDED);
    }

    @Test
    void check_refusesPlainHttpAndUnknownEvents_namingEachField() {
        assertThatThrownBy(() -> service.check(new WebhookRequest("http://pim.example.com/hooks", List.of("synchronization.ended", "run.ended"))))
                .isInstanceOfSatisfying(SynclineException.Invalid.class, e -> assertThat(e.violations())
                        .extracting(SynclineException.Violation::field, SynclineException.Violation::message)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("webhook.url", "webhook.url must use https; got 'http://pim.example.com/hooks'"),
                                org.assertj.core.groups.Tuple.tuple("webhook.events[1]", "webhook.events[1] 'run.ended' is not an event; use"
                                        + " synchronization.started, synchronization.awaiting_confirmation, synchronization.ended, file.stored")));
    }

    @Test
    void check_refusesWhatTheUrlPolicyRefuses() {
        WebhookService guarded = new WebhookService(ports(url -> Optional.of("must not point at a private address: 10.0.0.8")), clock,
                new SecureRandom(), true, signal -> { });

        assertThatThrownBy(() -> guarded.check(new WebhookRequest("https://10.0.0.8/hooks", null)))
                .isInstanceOf(SynclineException.Invalid.class)
                .hasMessageContaining("webhook.url must not point at a private address: 10.0.0.8");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private WebhookService.Registered set(List<String> events) {
        return service.set(INSTALLATION, service.check(new WebhookRequest("https://pim.example.com/hooks", events)));
    }

    private void attemptQueued() {
        Queued next = queued.removeFirst();
        service.attempt(next.installationId(), next.deliveryId());
    }

    private WebhookDelivery only() {
        assertThat(store.deliveries).hasSize(1);
        return store.deliveries.values().iterator().next();
    }

    private static DeliveryAttempt answered(int status) {
        return new DeliveryAttempt.Answered(status, status / 100 == 2 ? "" : "busy", null, null);
    }

    private WebhookService service(boolean httpsOnly) {
        return new WebhookService(ports(AppUrlPolicy.ALLOW_ANY), clock, new SecureRandom(), httpsOnly, signal -> { });
    }

    private WebhookService.Ports ports(AppUrlPolicy policy) {
        InstallationService installations = new InstallationService(new InMemoryAppStore(), new InMemoryInstallationStore(),
                new ScriptedAppClient(), vault, clock);
        return new WebhookService.Ports(store, store, (installation, delivery, delay) -> queued.add(new Queued(installation, delivery, delay)),
                (url, headers, body) -> {
                    posted.add(new Posted(url, Map.copyOf(headers), body));
                    return answers.removeFirst();
                },
                runId -> runJson, installations, vault, policy);
    }

    /** Webhooks and deliveries in memory. */
    static final class InMemoryWebhooks implements WebhookStore, WebhookDeliveries {

        private final Map<UUID, Webhook> webhooks = new HashMap<>();
        private final Map<UUID, WebhookDelivery> deliveries = new java.util.LinkedHashMap<>();

        @Override
        public Optional<Webhook> find(UUID installationId) {
            return Optional.ofNullable(webhooks.get(installationId));
        }

        @Override
        public void put(UUID installationId, Webhook webhook) {
            webhooks.put(installationId, webhook);
        }

        @Override
        public void remove(UUID installationId) {
            webhooks.remove(installationId);
        }

        @Override
        public void create(WebhookDelivery delivery) {
            deliveries.put(delivery.id(), delivery);
        }

        @Override
        public Optional<WebhookDelivery> find(UUID installationId, UUID deliveryId) {
            return Optional.ofNullable(deliveries.get(deliveryId)).filter(d -> d.installationId().equals(installationId));
        }

        @Override
        public boolean update(WebhookDelivery next, int expectedAttempts) {
            if (deliveries.get(next.id()).attempts() != expectedAttempts) {
                return false;
            }
            deliveries.put(next.id(), next);
            return true;
        }

        @Override
        public Page list(UUID installationId, int limit, String after) {
            List<WebhookDelivery> all = deliveries.values().stream().filter(d -> d.installationId().equals(installationId))
                    .sorted(Comparator.comparing((WebhookDelivery d) -> d.id().toString()).reversed()).toList();
            return new Page(all.stream().limit(limit).toList(), null);
        }
    }
}
