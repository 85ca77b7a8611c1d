package dev.syncline.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ChunkDelivererTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-00000000abcd");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<String>> keysBySku = new ConcurrentHashMap<>();

    private ChunkResult deliver(int entries, Function<String, DeliveryAttempt> app, int retries, Instant deadline) {
        return deliver(entries, app, retries, deadline, Map.of());
    }

    private ChunkResult deliver(int entries, Function<String, DeliveryAttempt> app, int retries, Instant deadline,
            Map<ResourceKey, Map<String, Object>> stored) {
        return deliver(entries, null, app, retries, deadline, stored);
    }

    private ChunkResult deliver(int entries, ChunkResult progress, Function<String, DeliveryAttempt> app, int retries, Instant deadline,
            Map<ResourceKey, Map<String, Object>> stored) {
        AppEndpoint endpoint = new AppEndpoint() {
            @Override
            public DeliveryAttempt consume(AppTarget target, ConsumeRequest request) {
                keysBySku.computeIfAbsent(request.resource().id(), k -> Collections.synchronizedList(new ArrayList<>())).add(request.idempotencyKey());
                return app.apply(request.resource().id());
            }

            @Override
            public DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey) {
                throw new AssertionError("not used");
            }
        };
        ChunkDeliverer deliverer = new ChunkDeliverer(endpoint, Clock.fixed(NOW, ZoneOffset.UTC), waits::add, new Random(7), 4, REQUEST_TIMEOUT);
        List<PlannedEntry> planned = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            Product product = Product.of("SKU-" + i, "SIMPLE");
            planned.add(new PlannedEntry(Phase.PRODUCTS, "product_created", product.key(), List.of(), PlanReason.created(), product));
        }
        return deliverer.deliver(new Chunk(new ChunkRef(RUN, Phase.PRODUCTS, 3), planned), progress, target(), RetryPolicy.withRetries(retries), stored,
                deadline);
    }

    private static AppTarget target() {
        var claims = new AppTokenClaims(UUID.randomUUID(), HttpUrl.parse("https://pim.example.com/api"), NOW, NOW, NOW.plusSeconds(300), RUN);
        return new AppTarget(HttpUrl.parse("https://app.example.com"), claims, SharedSecret.generate(new SecureRandom()));
    }

    private static DeliveryAttempt status(int status) {
        return new DeliveryAttempt.Answered(status, "{\"error\":\"nope\"}", null, null);
    }

    @Test
    void deliver_whenTheAppAnswers2xx_succeedsEveryEntryAtTheFirstAttempt() {
        ChunkResult result = deliver(20, sku -> status(204), 5, NOW.plusSeconds(600));

        assertThat(result.entries()).hasSize(20).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo(EntryStatus.SUCCEEDED);
            assertThat(entry.attempts()).isEqualTo(1);
            assertThat(entry.lastHttpStatus()).isEqualTo(204);
        });
        assertThat(result.counts().succeeded()).isEqualTo(20);
        assertThat(waits).isEmpty();
    }

    @Test
    void deliver_whenTheAppRejectsPermanently_failsAtOnceWithItsAnswer() {
        ChunkResult result = deliver(1, sku -> new DeliveryAttempt.Answered(422, "{\"error\":\"price missing\"}", null, null), 5, NOW.plusSeconds(600));

        EntryResult entry = result.entries().getFirst();
        assertThat(entry.status()).isEqualTo(EntryStatus.FAILED);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastHttpStatus()).isEqualTo(422);
        assertThat(entry.error()).isEqualTo("HTTP 422: {\"error\":\"price missing\"}");
    }

    @Test
    void deliver_transientFailures_areRetriedWithTheSameIdempotencyKeyUntilSuccess() {
        AtomicInteger calls = new AtomicInteger();

        ChunkResult result = deliver(1, sku -> calls.incrementAndGet() < 3 ? status(503) : status(200), 5, NOW.plusSeconds(600));

        EntryResult entry = result.entries().getFirst();
        assertThat(entry.status()).isEqualTo(EntryStatus.SUCCEEDED);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(entry.throttled()).isTrue();
        assertThat(keysBySku.get("SKU-0")).hasSize(3).containsOnly(keysBySku.get("SKU-0").getFirst());
        assertThat(result.throttled()).isTrue();
    }

    @Test
    void deliver_transientFailuresBeyondTheBudget_failWithTheLastAnswer() {
        ChunkResult result = deliver(1, sku -> status(500), 2, NOW.plusSeconds(600));

        EntryResult entry = result.entries().getFirst();
        assertThat(entry.status()).isEqualTo(EntryStatus.FAILED);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(entry.error()).startsWith("gave up after 3 attempts; last: HTTP 500");
    }

    @Test
    void deliver_honoursRetryAfter() {
        AtomicInteger calls = new AtomicInteger();

        deliver(1, sku -> calls.incrementAndGet() == 1 ? new DeliveryAttempt.Answered(429, "", null, Duration.ofSeconds(7)) : status(200), 5,
                NOW.plusSeconds(600));

        assertThat(waits).hasSize(1);
        assertThat(waits.getFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void deliver_whenRetryAfterIsBeyondAnyClock_waitsTheLongestDelayAndDeliversTheEntry() {
        AtomicInteger calls = new AtomicInteger();

        ChunkResult result = deliver(1, sku -> calls.incrementAndGet() == 1
                ? new DeliveryAttempt.Answered(429, "", null, Duration.ofSeconds(Long.MAX_VALUE)) : status(200), 5, NOW.plusSeconds(600));

        assertThat(waits).containsExactly(RetryPolicy.withRetries(5).maxDelay());
        assertThat(result.entries()).singleElement().satisfies(entry -> assertThat(entry.status()).isEqualTo(EntryStatus.SUCCEEDED));
    }

    @Test
    void deliver_backoffWaits_stayWithinTheExponentialCeilings() {
        deliver(1, sku -> status(503), 6, NOW.plusSeconds(600));

        assertThat(waits).hasSize(6);
        for (int retry = 0; retry < waits.size(); retry++) {
            assertThat(waits.get(retry)).isLessThanOrEqualTo(Duration.ofMillis(200L << retry));
        }
    }

    @Test
    void deliver_connectionErrors_areTransientButARefusedUrlIsNot() {
        ChunkResult refused = deliver(1, sku -> new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, "private address"), 5,
                NOW.plusSeconds(600));
        ChunkResult unreachable = deliver(1, sku -> new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.CONNECTION_FAILED, "refused"), 1,
                NOW.plusSeconds(600));

        assertThat(refused.entries().getFirst().attempts()).isEqualTo(1);
        assertThat(refused.entries().getFirst().error()).isEqualTo("url refused: private address");
        assertThat(unreachable.entries().getFirst().attempts()).isEqualTo(2);
        assertThat(unreachable.entries().getFirst().lastHttpStatus()).isZero();
    }

    @Test
    void deliver_whenAnAttemptCouldNotEndBeforeTheDeadline_leavesTheEntryOpenWithItsAttempts() {
        // 10 s request timeout + 10 s to record: the first attempt fits in 25 s, a retry after a 20 s Retry-After does not.
        ChunkResult result = deliver(1, sku -> new DeliveryAttempt.Answered(429, "slow down", null, Duration.ofSeconds(20)), 5, NOW.plusSeconds(25));

        assertThat(result.finished()).isFalse();
        assertThat(result.entries().getFirst().status()).isEqualTo(EntryStatus.PLANNED);
        assertThat(result.entries().getFirst().attempts()).isEqualTo(1);
        assertThat(result.entries().getFirst().lastHttpStatus()).isEqualTo(429);
        assertThat(keysBySku.get("SKU-0")).hasSize(1);
        assertThat(waits).as("no wait for a retry that could not run").isEmpty();
    }

    @Test
    void deliver_continuingAPass_makesOnlyTheAttemptsLeft_andKeepsWhatEnded() {
        Product first = Product.of("SKU-0", "SIMPLE");
        Product second = Product.of("SKU-1", "SIMPLE");
        ChunkResult progress = new ChunkResult(new ChunkRef(RUN, Phase.PRODUCTS, 3), List.of(
                new EntryResult(0, first.key(), "product_created", EntryStatus.SUCCEEDED, 2, 200, null, 30, null, true),
                new EntryResult(1, second.key(), "product_created", EntryStatus.PLANNED, 5, 503, "HTTP 503", 40, null, true)));

        ChunkResult result = deliver(2, progress, sku -> status(503), 5, NOW.plusSeconds(600), Map.of());

        assertThat(result.finished()).isTrue();
        assertThat(result.entries().get(0)).isEqualTo(progress.entries().get(0));
        assertThat(keysBySku).as("only the open entry, once: its sixth and last attempt").containsOnlyKeys("SKU-1");
        assertThat(keysBySku.get("SKU-1")).hasSize(1);
        assertThat(result.entries().get(1).status()).isEqualTo(EntryStatus.FAILED);
        assertThat(result.entries().get(1).attempts()).isEqualTo(6);
        assertThat(result.entries().get(1).error()).startsWith("gave up after 6 attempts; last: HTTP 503");
    }

    @Test
    void deliver_whenNotOneAttemptFits_failsTheEntriesAndSaysWhy_ratherThanHandThemOnAgain() {
        ChunkResult result = deliver(3, sku -> status(204), 5, NOW.plusSeconds(15));

        assertThat(keysBySku).isEmpty();
        assertThat(result.finished()).isTrue();
        assertThat(result.entries()).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo(EntryStatus.FAILED);
            assertThat(entry.error()).startsWith("no time left for a request");
        });
    }

    @Test
    void deliver_anAppThatDoesNotAnswerInTime_pushesBackLikeThrottling() {
        ChunkResult result = deliver(1, sku -> new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no answer within 10000 ms"),
                1, NOW.plusSeconds(600));

        assertThat(result.throttled()).as("the window shrinks on timeouts").isTrue();
        assertThat(result.entries().getFirst().error()).isEqualTo("gave up after 2 attempts; last: timeout: no answer within 10000 ms");
        assertThat(deliver(1, sku -> status(422), 1, NOW.plusSeconds(600)).throttled()).isFalse();
    }

    @Test
    void customs_areKeptToStoreOnlyWhenTheAppAnsweredNewOnes() {
        Map<String, Object> known = Map.of("external_id", "ext-1");
        Map<ResourceKey, Map<String, Object>> stored = Map.of(new ResourceKey(ResourceType.PRODUCT, "SKU-0"), known,
                new ResourceKey(ResourceType.PRODUCT, "SKU-1"), known);

        ChunkResult result = deliver(3, sku -> new DeliveryAttempt.Answered(200, "", sku.equals("SKU-1") ? Map.of("external_id", "ext-2") : known, null),
                5, NOW.plusSeconds(600), stored);

        assertThat(result.entries()).extracting(EntryResult::customs)
                .containsExactly(null, Map.of("external_id", "ext-2"), known);
    }

    @Test
    void idempotencyKeys_differPerEntryAndRunButNotPerAttempt() {
        Product product = Product.of("SKU-1", "SIMPLE");
        PlannedEntry entry = new PlannedEntry(Phase.PRODUCTS, "product_created", product.key(), List.of(), PlanReason.created(), product);
        ChunkRef ref = new ChunkRef(RUN, Phase.PRODUCTS, 0);

        assertThat(ChunkDeliverer.idempotencyKey(ref, 0, entry)).isEqualTo(ChunkDeliverer.idempotencyKey(ref, 0, entry));
        assertThat(ChunkDeliverer.idempotencyKey(ref, 0, entry))
                .isNotEqualTo(ChunkDeliverer.idempotencyKey(new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 0), 0, entry))
                .isNotEqualTo(ChunkDeliverer.idempotencyKey(ref, 1, entry));
        assertThat(new ResourceKey(ResourceType.PRODUCT, "SKU-1")).isEqualTo(product.key());
    }

    @Test
    void deliver_whenTheAppIsSlow_asksAfterEveryBatchAndStartsNoRequestAfterTheBatchThatSawTheEnd() {
        AtomicInteger asked = new AtomicInteger();
        CountingEndpoint endpoint = new CountingEndpoint();
        // Every reading of the clock is a second and a half after the last: each batch ends past the interval.
        TickingClock clock = new TickingClock(NOW, Duration.ofMillis(1500));

        ChunkResult result = new ChunkDeliverer(endpoint, clock, waits::add, new Random(7), 4, REQUEST_TIMEOUT)
                .deliver(chunkOf(20), null, target(), RetryPolicy.withRetries(2), Map.of(),
                        NOW.plusSeconds(36_000), () -> asked.incrementAndGet() >= 2);

        assertThat(asked.get()).as("asked at the 4th and the 8th request, never again once the run ended").isEqualTo(2);
        assertThat(endpoint.consumed.get()).as("the requests before the 8th, whose check saw the end").isEqualTo(7);
        assertThat(result.counts().succeeded()).isEqualTo(endpoint.consumed.get());
        assertThat(result.counts().cancelled()).isEqualTo(20 - endpoint.consumed.get());
    }

    @Test
    void deliver_whenTheAppIsFast_asksEverySixtyFourthBatchAtMostAndStartsNoRequestAfterTheBatchThatSawTheEnd() {
        AtomicInteger asked = new AtomicInteger();
        CountingEndpoint endpoint = new CountingEndpoint();
        int parallelism = 4;

        // The clock stands still: only the batch count makes it ask, at the 256th and the 512th request.
        ChunkResult result = new ChunkDeliverer(endpoint, Clock.fixed(NOW, ZoneOffset.UTC), waits::add, new Random(7), parallelism, REQUEST_TIMEOUT)
                .deliver(chunkOf(1_000), null, target(), RetryPolicy.withRetries(2), Map.of(),
                        NOW.plusSeconds(600), () -> asked.incrementAndGet() >= 2);

        assertThat(asked.get()).as("asked twice in 512 requests, not once per batch of 4").isEqualTo(2);
        assertThat(endpoint.consumed.get()).as("the requests before the 512th, whose check saw the end").isEqualTo(511);
        assertThat(result.counts().cancelled()).isEqualTo(1_000 - endpoint.consumed.get());
    }

    private static Chunk chunkOf(int entries) {
        List<PlannedEntry> planned = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            Product product = Product.of("SKU-" + i, "SIMPLE");
            planned.add(new PlannedEntry(Phase.PRODUCTS, "product_created", product.key(), List.of(), PlanReason.created(), product));
        }
        return new Chunk(new ChunkRef(RUN, Phase.PRODUCTS, 0), planned);
    }

    /** Accepts every entry and counts them. */
    private static final class CountingEndpoint implements AppEndpoint {
        final AtomicInteger consumed = new AtomicInteger();

        @Override
        public DeliveryAttempt consume(AppTarget target, ConsumeRequest request) {
            consumed.incrementAndGet();
            return status(204);
        }

        @Override
        public DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey) {
            throw new AssertionError("not used");
        }
    }

    /** A clock whose every reading is {@code step} after the one before. */
    private static final class TickingClock extends Clock {
        private final AtomicReference<Instant> now;
        private final Duration step;

        TickingClock(Instant start, Duration step) {
            this.now = new AtomicReference<>(start);
            this.step = step;
        }

        @Override
        public Instant instant() {
            return now.getAndUpdate(at -> at.plus(step));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
