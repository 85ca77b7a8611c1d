package dev.syncline.core.webhook;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Installations' webhooks: sets and removes them, queues a delivery when something they subscribe to happens, and
 * makes each attempt, signed, with bounded retries. Attempts run off the queue, never inside a run's work.
 *
 * <p>Each request carries {@code Syncline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>} over the text
 * {@code <t>.<body>}, keyed with the bytes of the signing secret as shown to the PIM.
 */
public final class WebhookService implements Webhooks {

    /** Attempts in all, the first included. */
    public static final int MAX_ATTEMPTS = 6;

    /** The wait before the 2nd, 3rd, … attempt: the last one is made about an hour after the first. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(40));

    /** A message that comes this much before its attempt is due is taken as due. */
    private static final Duration EARLY = Duration.ofSeconds(1);

    /** Everything the service talks to. */
    public record Ports(
            WebhookStore webhooks,
            WebhookDeliveries deliveries,
            WebhookQueue queue,
            WebhookReceiver receiver,
            RunDocuments runs,
            InstallationService installations,
            SecretVault vault,
            AppUrlPolicy urlPolicy) {
    }

    /** A run as the API shows it ({@code GET /v1/synchronizations/{id}}), as JSON: the body every delivery sends. */
    @FunctionalInterface
    public interface RunDocuments {
        String json(UUID runId);
    }

    /** A webhook checked and ready to set. */
    public record Subscription(HttpUrl url, Set<WebhookEvent> events) {
        public Subscription {
            events = Set.copyOf(events);
        }
    }

    /**
     * A webhook just set.
     *
     * @param signingSecret the secret in clear: shown this once, never again
     */
    public record Registered(Webhook webhook, String signingSecret) {
        @Override
        public String toString() {
            return "Registered[" + webhook + ", signingSecret=redacted]";
        }
    }

    private final Ports ports;
    private final Clock clock;
    private final SecureRandom random;
    private final boolean httpsOnly;
    private final Telemetry telemetry;

    /** @param httpsOnly whether a webhook must use https: false only where private URLs are allowed (tests, local stack) */
    public WebhookService(Ports ports, Clock clock, SecureRandom random, boolean httpsOnly, Telemetry telemetry) {
        this.ports = ports;
        this.clock = clock;
        this.random = random;
        this.httpsOnly = httpsOnly;
        this.telemetry = telemetry;
    }

    // ---- api --------------------------------------------------------------------------------------

    /**
     * Checks a requested webhook against every rule at once.
     *
     * @throws SynclineException.Invalid naming each field to fix ({@code webhook.url}, {@code webhook.events[1]})
     */
    public Subscription check(WebhookRequest request) {
        List<SynclineException.Violation> violations = new ArrayList<>();
        HttpUrl url = ports.urlPolicy().check("webhook.url", request.url(), httpsOnly, violations);
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        if (request.events() == null) {
            events.add(WebhookEvent.DEFAULT);
        } else if (request.events().isEmpty()) {
            violations.add(new SynclineException.Violation("webhook.events", "webhook.events must name at least one event: "
                    + known() + "; leave it out for " + WebhookEvent.DEFAULT.wireName() + " alone"));
        } else {
            for (int i = 0; i < request.events().size(); i++) {
                String name = request.events().get(i);
                Optional<WebhookEvent> event = WebhookEvent.parse(name);
                if (event.isEmpty()) {
                    violations.add(new SynclineException.Violation("webhook.events[" + i + "]", "webhook.events[" + i + "] "
                            + SynclineException.quote(name) + " is not an event; use " + known()));
                } else {
                    events.add(event.get());
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("webhook", violations);
        }
        return new Subscription(url, events);
    }

    /** Sets (or replaces) the installation's webhook with a new signing secret, returned in clear this once. */
    public Registered set(UUID installationId, Subscription subscription) {
        SharedSecret secret = SharedSecret.generate(random);
        Webhook webhook = new Webhook(subscription.url(), subscription.events(), ports.vault().encrypt(secret, installationId),
                clock.instant());
        ports.webhooks().put(installationId, webhook);
        return new Registered(webhook, secret.reveal());
    }

    /** Removes the installation's webhook: deliveries still owed are given up at their next attempt. */
    public void remove(UUID installationId) {
        ports.webhooks().remove(installationId);
    }

    public Optional<Webhook> find(UUID installationId) {
        return ports.webhooks().find(installationId);
    }

    /** A page of the installation's deliveries, newest first; 404 for an unknown installation. */
    public WebhookDeliveries.Page deliveries(UUID installationId, int limit, String after) {
        ports.installations().find(installationId);
        return ports.deliveries().list(installationId, limit, after);
    }

    // ---- engine: queue a delivery -----------------------------------------------------------------

    @Override
    public void announce(UUID installationId, UUID runId, WebhookEvent event) {
        try {
            Optional<Webhook> webhook = ports.webhooks().find(installationId);
            if (webhook.isEmpty() || !webhook.get().subscribes(event)) {
                return;
            }
            Instant now = clock.instant();
            WebhookDelivery delivery = WebhookDelivery.owed(timeOrdered(now), installationId, runId, event, now);
            ports.deliveries().create(delivery);
            ports.queue().send(installationId, delivery.id(), Duration.ZERO);
        } catch (RuntimeException e) {
            // The run goes on whatever becomes of its webhook; operators read why it was not queued.
            report(installationId, runId, event, "not queued: " + e.getClass().getSimpleName());
        }
    }

    // ---- queue consumer: one attempt --------------------------------------------------------------

    /**
     * Makes a delivery's attempt that is due: signs and POSTs it, records the answer, and queues the next attempt
     * after a failure while attempts remain. A repeated or early message does no harm: a delivery that is not
     * pending is left alone, one not due yet is queued again for when it is.
     */
    public void attempt(UUID installationId, UUID deliveryId) {
        Optional<WebhookDelivery> found = ports.deliveries().find(installationId, deliveryId);
        if (found.isEmpty() || found.get().state() != WebhookDelivery.State.PENDING) {
            return;
        }
        WebhookDelivery delivery = found.get();
        Instant now = clock.instant();
        if (delivery.nextAttemptAt().isAfter(now.plus(EARLY))) {
            // The queue delays a message by at most 15 minutes: a longer wait takes more than one hop.
            ports.queue().send(installationId, deliveryId, Duration.between(now, delivery.nextAttemptAt()));
            return;
        }
        Optional<Webhook> webhook = ports.webhooks().find(installationId);
        if (webhook.isEmpty() || !webhook.get().subscribes(delivery.event())) {
            ports.deliveries().update(delivery.abandoned(webhook.isEmpty()
                    ? "the webhook was removed; no more attempts"
                    : "the webhook no longer subscribes to " + delivery.event().wireName() + "; no more attempts"), delivery.attempts());
            return;
        }
        String body = delivery.body() != null ? delivery.body() : ports.runs().json(delivery.runId());
        SharedSecret secret = ports.vault().decrypt(webhook.get().secret(), installationId);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Syncline-Event", delivery.event().wireName());
        headers.put("Syncline-Delivery", delivery.id().toString());
        headers.put("Syncline-Signature", signatureHeader(secret.hmacKey(), now.getEpochSecond(), body));
        DeliveryAttempt answer = ports.receiver().post(webhook.get().url(), headers, body);

        int attempts = delivery.attempts() + 1;
        Integer status = answer instanceof DeliveryAttempt.Answered answered ? answered.status() : null;
        String described = describe(answer);
        WebhookDelivery next;
        Duration wait = null;
        if (status != null && status / 100 == 2) {
            next = delivery.attempted(body, status, described, WebhookDelivery.State.DELIVERED, now, null);
        } else if (status != null && status == 410) {
            next = delivery.attempted(body, status, described + "; 410 Gone stops the attempts", WebhookDelivery.State.FAILED, now, null);
        } else if (attempts >= MAX_ATTEMPTS) {
            next = delivery.attempted(body, status, described + "; gave up after " + attempts + " attempts", WebhookDelivery.State.FAILED,
                    now, null);
        } else {
            wait = RETRY_DELAYS.get(attempts - 1);
            next = delivery.attempted(body, status, described, WebhookDelivery.State.PENDING, now, now.plus(wait));
        }
        if (!ports.deliveries().update(next, delivery.attempts())) {
            return; // a repeated message made this attempt too, and recorded it first: it queued what follows
        }
        if (next.state() != WebhookDelivery.State.DELIVERED) {
            report(installationId, delivery.runId(), delivery.event(), status == null ? described : "answered " + status);
        }
        if (wait != null) {
            ports.queue().send(installationId, deliveryId, wait);
        }
    }

    /**
     * The {@code Syncline-Signature} header of {@code body} sent at {@code timestamp}: {@code t=<timestamp>,v1=<hex
     * HMAC-SHA256 of "<timestamp>.<body>">}.
     */
    public static String signatureHeader(byte[] key, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static String describe(DeliveryAttempt answer) {
        return switch (answer) {
            case DeliveryAttempt.Answered answered -> "answered " + answered.status()
                    + (answered.bodyExcerpt() == null || answered.bodyExcerpt().isBlank() ? "" : ": " + answered.bodyExcerpt());
            case DeliveryAttempt.Unreachable unreachable -> unreachable.detail();
        };
    }

    private void report(UUID installationId, UUID runId, WebhookEvent event, String outcome) {
        String appId;
        try {
            Installation installation = ports.installations().find(installationId);
            appId = installation.appId().value();
        } catch (RuntimeException e) {
            appId = "unknown";
        }
        telemetry.report(new Signal.NotificationFailed(runId, installationId, appId, "webhook " + event.wireName(), outcome));
    }

    private static String known() {
        return String.join(", ", java.util.Arrays.stream(WebhookEvent.values()).map(WebhookEvent::wireName).toList());
    }

    /** A version 7 UUID: its text sorts by time, so the store lists deliveries newest first by their ids. */
    private UUID timeOrdered(Instant at) {
        long msb = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
