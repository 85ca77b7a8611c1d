package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.delivery.RetryPolicy;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An App that answers in ways meant to hurt: a {@code Retry-After} past any clock, a body that never ends. Each
 * answer costs one bounded attempt, never an exception that aborts a chunk or a reconciler pass.
 */
class HostileAppTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private volatile HttpAppClientTest.Responder responder;
    private HttpServer server;
    private HttpAppEndpoint endpoint;
    private HttpUrl appUrl;

    @BeforeEach
    void startApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                responder.respond(exchange);
            }
        });
        server.start();
        appUrl = HttpUrl.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/app");
        endpoint = HttpAppEndpoint.create(AppUrlGuard.create(true), JwtAppTokenSigner.create(), JsonCodec.create(), CLOCK,
                Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @AfterEach
    void stopApp() {
        server.stop(0);
    }

    @Test
    void consume_whenRetryAfterOverflowsALong_waitsTheLongestDelayInsteadOfFailing() {
        responder = exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "9223372036854775807");
            HttpAppClientTest.reply(exchange, 429, "slow down");
        };

        DeliveryAttempt attempt = endpoint.consume(target(), request());

        assertThat(attempt).isInstanceOfSatisfying(DeliveryAttempt.Answered.class, answered -> {
            assertThat(answered.status()).isEqualTo(429);
            assertThat(answered.retryAfter()).isEqualTo(RetryAfter.MAX);
        });
        RetryPolicy policy = RetryPolicy.withRetries(3);
        assertThat(policy.delayBefore(2, attempt, new SplittableRandom(1))).isEqualTo(policy.maxDelay());
    }

    @Test
    void consume_whenRetryAfterIsADateFarAhead_waitsTheLongestDelay() {
        responder = exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT");
            HttpAppClientTest.reply(exchange, 503, "");
        };

        DeliveryAttempt attempt = endpoint.consume(target(), request());

        assertThat(((DeliveryAttempt.Answered) attempt).retryAfter()).isEqualTo(RetryAfter.MAX);
    }

    @Test
    void retryAfter_isClampedBetweenNoWaitAndTheMaximum() {
        assertThat(RetryAfter.parse(Optional.of("120"), CLOCK)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(Optional.of(" 0007 "), CLOCK)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(Optional.of("301"), CLOCK)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.parse(Optional.of("99999999999999999999999"), CLOCK)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.parse(Optional.of("-5"), CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(Optional.of("-9223372036854775809"), CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(Optional.of("Fri, 04 Dec 2026 12:01:30 GMT"), CLOCK)).isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse(Optional.of("Thu, 01 Jan 1970 00:00:00 GMT"), CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(Optional.of("soon"), CLOCK)).isNull();
        assertThat(RetryAfter.parse(Optional.empty(), CLOCK)).isNull();
    }

    @Test
    void consume_whenTheBodyNeverEnds_stopsReadingAtTheLimitClosesTheConnectionAndFailsTheAttempt() throws Exception {
        CompletableFuture<Long> bytesWrittenUntilClosed = new CompletableFuture<>();
        responder = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] block = new byte[8 * 1024];
            Arrays.fill(block, (byte) 'x');
            long written = 0;
            // Endless for the client; bounded here so that a broken client cannot hang the build.
            try (OutputStream body = exchange.getResponseBody()) {
                while (written < 1024L * 1024 * 1024) {
                    body.write(block);
                    body.flush();
                    written += block.length;
                }
            } catch (IOException closedByTheClient) {
                bytesWrittenUntilClosed.complete(written);
                return;
            }
            bytesWrittenUntilClosed.complete(-1L);
        };

        DeliveryAttempt attempt = endpoint.consume(target(), request());

        assertThat(attempt).isInstanceOfSatisfying(DeliveryAttempt.Unreachable.class, unreachable -> {
            assertThat(unreachable.reason()).isEqualTo(DeliveryAttempt.Unreachable.Reason.ANSWER_TOO_LONG);
            assertThat(unreachable.detail()).isEqualTo("the answer from " + appUrl.uri().getAuthority() + " was longer than "
                    + HttpAppEndpoint.BODY_LIMIT + " bytes; reading stopped there");
        });
        assertThat(RetryPolicy.isTransient(attempt)).isTrue();
        // The client hung up: the App's writes failed long before the gigabyte it would have sent.
        assertThat(bytesWrittenUntilClosed.get(60, TimeUnit.SECONDS)).isBetween(0L, 64L * 1024 * 1024);
    }

    @Test
    void consume_whenAFailureBodyIsHuge_keepsTheStatusAndAnExcerpt() {
        responder = exchange -> HttpAppClientTest.reply(exchange, 503, "y".repeat(5_000_000));

        DeliveryAttempt attempt = endpoint.consume(target(), request());

        assertThat(attempt).isInstanceOfSatisfying(DeliveryAttempt.Answered.class, answered -> {
            assertThat(answered.status()).isEqualTo(503);
            assertThat(answered.bodyExcerpt()).hasSizeLessThanOrEqualTo(HttpAppEndpoint.BODY_LIMIT + 1).startsWith("yyy");
        });
    }

    private static ConsumeRequest request() {
        return new ConsumeRequest("product_created", new ResourceKey(ResourceType.PRODUCT, "SKU-1"),
                List.of(new ChangeEvent("product_created", Map.of("sku", "SKU-1", "type", "SIMPLE"))), null, "run-1/entry-1");
    }

    private AppTarget target() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AppTarget(appUrl, new AppTokenClaims(UUID.randomUUID(), HttpUrl.parse("https://pim.example.com/api"), now, now,
                now.plus(AppTokenClaims.LIFETIME), UUID.randomUUID()), secret);
    }
}
