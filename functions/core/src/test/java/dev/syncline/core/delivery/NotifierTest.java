package dev.syncline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotifierTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-00000000abcd");

    /** The time the notifier sees: moved forward by every wait and by every attempt's duration. */
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<Notification> recorded = new ArrayList<>();

    private Notification send(Deque<DeliveryAttempt> answers, int retries, Duration eachAttemptTakes) {
        AppEndpoint app = new AppEndpoint() {
            @Override
            public DeliveryAttempt consume(AppTarget target, ConsumeRequest request) {
                throw new AssertionError("not used");
            }

            @Override
            public DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey) {
                events.add(event);
                keys.add(idempotencyKey);
                now = now.plus(eachAttemptTakes);
                return answers.isEmpty() ? status(200, null) : answers.poll();
            }
        };
        Notifications log = new Notifications() {
            @Override
            public void record(UUID subject, Notification notification) {
                assertThat(subject).isEqualTo(RUN);
                recorded.add(notification);
            }

            @Override
            public List<Notification> find(UUID subject) {
                return recorded;
            }
        };
        Notifier notifier = new Notifier(app, log, clock, wait -> {
            waits.add(wait);
            now = now.plus(wait);
        }, new Random(3), Duration.ofSeconds(10), Duration.ofSeconds(20));
        return notifier.send(RUN, target(), "synchronization_ended", Map.of("name", "synchronization_ended"), RetryPolicy.withRetries(retries));
    }

    @Test
    void send_whenTheAppAnswers503Then200_sendsTwiceWithOneKey_andRecordsItDelivered() {
        Notification sent = send(new ArrayDeque<>(List.of(status(503, "busy"), status(200, null))), 3, Duration.ofMillis(50));

        assertThat(events).containsExactly("synchronization_ended", "synchronization_ended");
        assertThat(keys).hasSize(2).containsOnly(Notifier.idempotencyKey(RUN, "synchronization_ended"));
        assertThat(sent.status()).isEqualTo(Notification.Status.DELIVERED);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.lastStatus()).isEqualTo(200);
        assertThat(recorded).containsExactly(sent);
    }

    @Test
    void send_whenTheAppAlwaysAnswers503_givesUpAfterTheRetryBudget_andRecordsTheLastAnswer() {
        Deque<DeliveryAttempt> answers = new ArrayDeque<>();
        for (int i = 0; i < 10; i++) {
            answers.add(status(503, "down for maintenance"));
        }
        Notification sent = send(answers, 2, Duration.ofMillis(50));

        assertThat(events).hasSize(3);
        assertThat(sent.status()).isEqualTo(Notification.Status.FAILED);
        assertThat(sent.lastStatus()).isEqualTo(503);
        assertThat(sent.lastAnswer()).isEqualTo("gave up after 3 attempts; last: HTTP 503: down for maintenance");
        assertThat(Notifier.outcome(sent)).isEqualTo("answered 503 after 3 attempts");
    }

    @Test
    void send_whenTheAppRefuses_failsAtOnce() {
        Notification sent = send(new ArrayDeque<>(List.of(status(401, "bad token"))), 3, Duration.ofMillis(50));

        assertThat(events).hasSize(1);
        assertThat(sent.status()).isEqualTo(Notification.Status.FAILED);
        assertThat(sent.lastAnswer()).isEqualTo("HTTP 401: bad token");
    }

    @Test
    void send_honoursRetryAfter() {
        DeliveryAttempt throttled = new DeliveryAttempt.Answered(429, "", null, Duration.ofSeconds(3));
        send(new ArrayDeque<>(List.of(throttled, status(204, null))), 3, Duration.ofMillis(50));

        assertThat(waits).hasSize(1);
        assertThat(waits.getFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void send_startsNoAttemptThatCouldOutliveItsBudget() {
        Deque<DeliveryAttempt> answers = new ArrayDeque<>();
        for (int i = 0; i < 10; i++) {
            answers.add(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no answer within 10000 ms"));
        }
        Notification sent = send(answers, 9, Duration.ofSeconds(10));

        assertThat(events).as("a second 10 s attempt would end after the 20 s budget").hasSize(1);
        assertThat(sent.status()).isEqualTo(Notification.Status.FAILED);
        assertThat(sent.lastAnswer()).startsWith("retries stopped after 1 attempt: the notice's time budget of 20 s ran out");
        assertThat(Duration.between(NOW, now)).isLessThanOrEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void idempotencyKey_isOnePerSubjectAndEvent() {
        assertThat(Notifier.idempotencyKey(RUN, "synchronization_started")).isEqualTo(Notifier.idempotencyKey(RUN, "synchronization_started"))
                .isNotEqualTo(Notifier.idempotencyKey(RUN, "synchronization_ended"))
                .isNotEqualTo(Notifier.idempotencyKey(UUID.randomUUID(), "synchronization_started"));
    }

    private static DeliveryAttempt status(int status, String body) {
        return new DeliveryAttempt.Answered(status, body, null, null);
    }

    private static AppTarget target() {
        var claims = new AppTokenClaims(UUID.randomUUID(), HttpUrl.parse("https://pim.example.com/api"), NOW, NOW, NOW.plusSeconds(300), RUN);
        return new AppTarget(HttpUrl.parse("https://app.example.com"), claims, SharedSecret.generate(new SecureRandom()));
    }
}
