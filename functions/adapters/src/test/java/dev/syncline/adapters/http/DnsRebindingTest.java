package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.file.AppFileSource;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An App URL whose host name answered a public address when the guard checked it, and {@code 127.0.0.1} when the
 * HTTP client connects (DNS rebinding). On a deployment that refuses internal addresses no call reaches the internal
 * server: not one connection, and the outcome says why, as a refusal at check time would.
 */
class DnsRebindingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final AtomicInteger connections = new AtomicInteger();
    private RebindingName rebinding;
    private ServerSocket internal;
    private HttpUrl appUrl;
    private String refusal;

    @BeforeEach
    void startInternalServer() throws IOException {
        rebinding = new RebindingName();
        internal = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!internal.isClosed()) {
                try {
                    Socket accepted = internal.accept();
                    connections.incrementAndGet();
                    accepted.close();
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        appUrl = HttpUrl.parse("https://" + rebinding.host() + ":" + internal.getLocalPort() + "/app");
        refusal = "the URL must not point at a loopback address: " + rebinding.host() + " resolves to 127.0.0.1;"
                + " Apps must be reachable at a public address";
    }

    @AfterEach
    void stop() throws IOException {
        internal.close();
        rebinding.close();
    }

    @Test
    void handshake_whenTheNameRebindsToLoopback_isRefusedWithoutConnecting() {
        HttpAppClient client = HttpAppClient.create(strictGuard(), JwtAppTokenSigner.create(), JsonCodec.create(), TIMEOUT, TIMEOUT);

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppUnreachable(AppUnreachable.Reason.URL_REFUSED, refusal));
        assertThat(connections).hasValue(0);
    }

    @Test
    void consume_whenTheNameRebindsToLoopback_isRefusedWithoutConnecting() {
        HttpAppEndpoint endpoint = HttpAppEndpoint.create(strictGuard(), JwtAppTokenSigner.create(), JsonCodec.create(),
                Clock.systemUTC(), TIMEOUT, TIMEOUT);

        DeliveryAttempt attempt = endpoint.consume(target(), new ConsumeRequest("product_created",
                new ResourceKey(ResourceType.PRODUCT, "SKU-1"), List.of(new ChangeEvent("product_created", Map.of("sku", "SKU-1"))),
                null, "run-1/entry-1"));

        assertThat(attempt).isEqualTo(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, refusal));
        assertThat(connections).hasValue(0);
    }

    @Test
    void downloadFile_whenTheNameRebindsToLoopback_isRefusedWithoutConnecting() {
        HttpFileDownload download = HttpFileDownload.create(strictGuard(), JwtAppTokenSigner.create(), Clock.systemUTC(), TIMEOUT, TIMEOUT);

        AppFileSource.Fetch fetch = download.fetch(target(), (contentType, length, name, body) -> {
            throw new AssertionError("nothing may be stored");
        });

        assertThat(fetch).isEqualTo(new AppFileSource.Fetch.Failed(
                new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, refusal)));
        assertThat(connections).hasValue(0);
    }

    @Test
    void webhook_whenTheNameRebindsToLoopback_isRefusedWithoutConnecting() {
        HttpWebhookReceiver receiver = HttpWebhookReceiver.create(strictGuard(), TIMEOUT, TIMEOUT);

        DeliveryAttempt attempt = receiver.post(appUrl, Map.of("Content-Type", "application/json"), "{}");

        assertThat(attempt).isEqualTo(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, refusal));
        assertThat(connections).hasValue(0);
    }

    @Test
    void handshake_whereInternalAddressesAreAllowed_connectsToWhatTheNameRebindsTo() {
        HttpAppClient client = HttpAppClient.create(AppUrlGuard.create(true, rebinding.asTheGuardSawIt()),
                JwtAppTokenSigner.create(), JsonCodec.create(), TIMEOUT, TIMEOUT);

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        // The server hangs up before TLS: the call failed, but it did reach 127.0.0.1.
        assertThat(outcome).isInstanceOfSatisfying(AppUnreachable.class,
                unreachable -> assertThat(unreachable.reason()).isEqualTo(AppUnreachable.Reason.CONNECTION_FAILED));
        assertThat(connections).hasValueGreaterThanOrEqualTo(1);
    }

    private AppUrlGuard strictGuard() {
        return AppUrlGuard.create(false, rebinding.asTheGuardSawIt());
    }

    private AppTokenClaims claims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(UUID.randomUUID(), HttpUrl.parse("https://pim.example.com/api"), now, now,
                now.plus(AppTokenClaims.LIFETIME), UUID.randomUUID());
    }

    private AppTarget target() {
        return new AppTarget(appUrl, claims(), secret);
    }
}
