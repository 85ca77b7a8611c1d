package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App client against a real HTTP server on the loopback interface. */
class HttpAppClientTest {

    record Received(String method, String path, String contentType, String token, String body) {
    }

    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    private final JsonCodec json = JsonCodec.create();
    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final UUID installation = UUID.randomUUID();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Responder responder = exchange -> reply(exchange, 204, "");
    private HttpServer server;
    private HttpUrl appUrl;
    private HttpAppClient client;

    @BeforeEach
    void startApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("X-APP-TOKEN"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                responder.respond(exchange);
            }
        });
        server.start();
        appUrl = HttpUrl.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/app");
        client = client(AppUrlGuard.create(true), Duration.ofMillis(500));
    }

    @AfterEach
    void stopApp() {
        server.stop(0);
    }

    @Test
    void handshake_postsTheSecretWithATokenSignedByIt() {
        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppResponse(204, ""));
        Received handshake = received.getFirst();
        assertThat(handshake.method()).isEqualTo("POST");
        assertThat(handshake.path()).isEqualTo("/app/handshake");
        assertThat(handshake.contentType()).isEqualTo("application/json");
        assertThat(json.readTree(handshake.body()))
                .isEqualTo(json.readTree(json.write(Map.of("shared_secret", secret.reveal()))));
        DecodedJWT token = JWT.require(Algorithm.HMAC256(secret.reveal())).build().verify(handshake.token());
        assertThat(token.getClaim("app_installation_id").asString()).isEqualTo(installation.toString());
    }

    @Test
    void sendLifecycleEvent_putsTheEventNameToItsConsumePath() {
        AppCallOutcome outcome = client.sendLifecycleEvent(appUrl, AppEvent.APP_UNINSTALLED, claims(), secret);

        assertThat(outcome.succeeded()).isTrue();
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("PUT");
            assertThat(request.path()).isEqualTo("/app/consume/app_uninstalled");
            assertThat(request.body()).isEqualTo("{\"name\":\"app_uninstalled\"}");
        });
    }

    @Test
    void call_whenTheAppRefuses_returnsItsStatusAndTheStartOfItsBody() {
        responder = exchange -> reply(exchange, 401, "{\"error\":\"invalid token\"}");

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppResponse(401, "{\"error\":\"invalid token\"}"));
        assertThat(outcome.describe()).isEqualTo("answered 401: '{\"error\":\"invalid token\"}'");
    }

    @Test
    void call_whenTheAnswerIsHuge_keepsOnlyAnExcerpt() {
        responder = exchange -> reply(exchange, 500, "x".repeat(5_000_000));

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(((AppResponse) outcome).bodyExcerpt()).hasSize(AppCallOutcome.EXCERPT_LIMIT).endsWith("…");
    }

    @Test
    void call_whenTheAppRedirects_doesNotFollow() {
        responder = exchange -> {
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data");
            reply(exchange, 302, "");
        };

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppResponse(302, ""));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(received).hasSize(1);
    }

    @Test
    void call_whenTheAppDoesNotAnswerInTime_timesOut() {
        responder = exchange -> {
            sleep(Duration.ofSeconds(3));
            reply(exchange, 204, "");
        };

        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppUnreachable(AppUnreachable.Reason.TIMEOUT, "no answer within 500 ms"));
    }

    @Test
    void call_whenTheBodyTricklesForever_stillTimesOut() {
        responder = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 30; i++) {
                out.write('x');
                out.flush();
                sleep(Duration.ofMillis(100));
            }
        };

        long started = System.nanoTime();
        AppCallOutcome outcome = client.handshake(appUrl, claims(), secret);

        assertThat(outcome).isEqualTo(new AppUnreachable(AppUnreachable.Reason.TIMEOUT, "no answer within 500 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void call_whenNothingListens_reportsTheConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        AppCallOutcome outcome = client.handshake(HttpUrl.parse("http://127.0.0.1:" + closedPort), claims(), secret);

        assertThat(outcome).isEqualTo(new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED,
                "connection to 127.0.0.1:" + closedPort + " refused"));
    }

    @Test
    void call_whenTheUrlIsRefusedAtCallTime_sendsNothing() {
        HttpAppClient strict = client(AppUrlGuard.create(false), Duration.ofMillis(500));

        AppCallOutcome outcome = strict.handshake(appUrl, claims(), secret);

        assertThat(outcome).isInstanceOfSatisfying(AppUnreachable.class, unreachable -> {
            assertThat(unreachable.reason()).isEqualTo(AppUnreachable.Reason.URL_REFUSED);
            assertThat(unreachable.detail()).startsWith("the URL must not point at a loopback address: 127.0.0.1");
        });
        assertThat(received).isEmpty();
    }

    private HttpAppClient client(AppUrlGuard guard, Duration requestTimeout) {
        return HttpAppClient.create(guard, JwtAppTokenSigner.create(), json, Duration.ofMillis(500), requestTimeout);
    }

    private AppTokenClaims claims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(installation, HttpUrl.parse("https://pim.example.com"), now, now,
                now.plusSeconds(300), null);
    }

    /** Answers with {@code body}, or no body when it is empty; also for the other App-facing tests of this package. */
    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException clientLeft) {
                // The client stops reading once it has its excerpt.
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
