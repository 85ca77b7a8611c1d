package dev.syncline.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline of the end-to-end benchmark: the requests an App received during a run, sent again, in the same
 * order, with the same bodies and the same most-in-flight, straight to a fresh sample App from a plain
 * {@code java.net.http} client built as the engine builds its own. What is left is the App's own cost of
 * answering them; the engine's figure against it shows what planning, queuing and accounting add.
 *
 * <p>The fresh App gets a handshake (and the example configuration) for each installation with a secret of its own,
 * and every request a token
 * with the recorded claims signed with that secret. Tokens and bodies are made before the clock starts.
 */
final class AppReplay {

    /** Headers the engine chose; the rest are the transport's or the token (replaced). */
    private static final Set<String> KEPT_HEADERS = Set.of("content-type", "accept", "user-agent", "x-idempotency-key");
    private static final Set<String> TIME_CLAIMS = Set.of("iat", "nbf", "exp");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the replay went: requests sent, those not answered 2xx, the time from the first request to the last answer,
     * and the CPU the JVM and its child processes used meanwhile.
     */
    record Result(int requests, int failed, long nanos, CpuClock.Usage cpu) {

        double seconds() {
            return nanos / 1e9;
        }
    }

    private AppReplay() {
    }

    /** @param faults what the fresh App does to each request once it is installed: a latency, or none */
    static Result replay(List<ReceivedRequest> recorded, int concurrency, Faults faults) throws IOException, InterruptedException {
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        Algorithm signing = Algorithm.HMAC256(secret);
        try (SampleApp app = SampleApp.start(0);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1) // as the engine's (AppHttpClient): no h2c upgrade offered
                    .connectTimeout(Duration.ofSeconds(2))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(threads)
                    .build();
            handshakes(recorded, app, http, signing, secret);
            List<HttpRequest> requests = prepare(recorded, app, signing);
            app.setFaults(faults);

            Semaphore inFlight = new Semaphore(concurrency);
            AtomicInteger failed = new AtomicInteger();
            long started = System.nanoTime();
            CpuClock.Usage cpuBefore = CpuClock.used();
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (HttpRequest request : requests) {
                    inFlight.acquire();
                    senders.submit(() -> {
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                            if (status / 100 != 2) {
                                failed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            inFlight.release();
                        }
                    });
                }
            }
            long nanos = System.nanoTime() - started;
            return new Result(requests.size(), failed.get(), nanos, CpuClock.used().minus(cpuBefore));
        }
    }

    private static void handshakes(List<ReceivedRequest> recorded, SampleApp app, HttpClient http, Algorithm signing, String secret)
            throws IOException, InterruptedException {
        Set<String> installations = new TreeSet<>();
        recorded.forEach(request -> request.installationId().ifPresent(installations::add));
        for (String installation : installations) {
            HttpRequest handshake = HttpRequest.newBuilder(app.uri("/handshake"))
                    .header("Content-Type", "application/json")
                    .header("X-APP-TOKEN", token(Map.of("app_installation_id", installation), signing))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("shared_secret", secret))))
                    .build();
            int status = http.send(handshake, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException("the fresh sample App refused the handshake of installation " + installation + " with " + status);
            }
            // Configured as the engine's installation was, or the App would refuse every event.
            for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
                String step = "{\"index\":" + index + ",\"configuration\":" + SampleConfiguration.EXAMPLE.get(index) + "}";
                HttpRequest configure = HttpRequest.newBuilder(app.uri("/configuration"))
                        .header("Content-Type", "application/json")
                        .header("X-APP-TOKEN", token(Map.of("app_installation_id", installation), signing))
                        .POST(HttpRequest.BodyPublishers.ofString(step))
                        .build();
                int configured = http.send(configure, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (configured / 100 != 2) {
                    throw new IllegalStateException("the fresh sample App refused configuration step " + index + " of installation "
                            + installation + " with " + configured);
                }
            }
        }
    }

    private static List<HttpRequest> prepare(List<ReceivedRequest> recorded, SampleApp app, Algorithm signing) {
        Map<Map<String, Object>, String> tokens = new HashMap<>();
        List<HttpRequest> requests = new ArrayList<>(recorded.size());
        for (ReceivedRequest request : recorded) {
            Map<String, Object> claims = new LinkedHashMap<>(request.claims());
            claims.keySet().removeAll(TIME_CLAIMS);
            HttpRequest.Builder builder = HttpRequest.newBuilder(app.uri(request.path()))
                    .timeout(Duration.ofSeconds(10))
                    .header("X-APP-TOKEN", tokens.computeIfAbsent(claims, c -> token(c, signing)));
            request.headers().forEach((name, values) -> {
                if (KEPT_HEADERS.contains(name)) {
                    values.forEach(value -> builder.header(name, value));
                }
            });
            builder.method(request.method(), request.body().isNull() || request.body().isMissingNode()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(bytes(request)));
            requests.add(builder.build());
        }
        return requests;
    }

    private static byte[] bytes(ReceivedRequest request) {
        try {
            return JSON.writeValueAsBytes(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(Map<String, Object> claims, Algorithm signing) {
        Instant now = Instant.now();
        return JWT.create()
                .withPayload(claims)
                .withIssuedAt(now)
                .withNotBefore(now)
                .withExpiresAt(now.plus(Duration.ofHours(1)))
                .sign(signing);
    }
}
