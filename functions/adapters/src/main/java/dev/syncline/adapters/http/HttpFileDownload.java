package dev.syncline.adapters.http;

import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.file.AppFileSource;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.installation.AppTokenClaims;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The App's {@code GET /download-file} with {@code java.net.http}: a fresh {@code X-APP-TOKEN} carrying the run's
 * {@code synchronization_id}, the URL checked before every attempt, redirects never followed. The body is handed to
 * the sink as a stream while the connection is open; nothing holds the whole file. The request timeout bounds the
 * wait for the answer's headers, not the transfer of a large body.
 */
public final class HttpFileDownload implements AppFileSource {

    static final int EXCERPT_LIMIT = 2 * 1024;
    private static final Pattern FILENAME = Pattern.compile("filename\\s*=\\s*\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    private final HttpClient http;
    private final AppUrlPolicy urlPolicy;
    private final JwtAppTokenSigner tokens;
    private final Clock clock;
    private final Duration requestTimeout;

    private HttpFileDownload(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, Clock clock, Duration connectTimeout, Duration requestTimeout) {
        this.urlPolicy = urlPolicy;
        this.tokens = tokens;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.http = AppHttpClient.create(connectTimeout);
    }

    public static HttpFileDownload create(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, Clock clock, Duration connectTimeout,
            Duration requestTimeout) {
        return new HttpFileDownload(urlPolicy, tokens, clock, connectTimeout, requestTimeout);
    }

    @Override
    public Fetch fetch(AppTarget target, FileSink sink) {
        Optional<String> refusal = urlPolicy.refusal(target.appUrl());
        if (refusal.isPresent()) {
            return failed(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, "the URL " + refusal.get()));
        }
        URI uri = target.appUrl().resolve("download-file");
        HttpRequest request = AppHttpClient.request(uri)
                .GET()
                .timeout(requestTimeout)
                .header("Accept", "*/*")
                .header("X-APP-TOKEN", tokens.sign(fresh(target.claims()), target.secret()))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            return failed(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no connection to " + uri.getAuthority()));
        } catch (HttpTimeoutException e) {
            return failed(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT,
                    "no answer within " + requestTimeout.toMillis() + " ms"));
        } catch (IOException e) {
            Optional<String> refusedAtConnect = AppUrlGuard.refusalAtConnect(e, uri);
            if (refusedAtConnect.isPresent()) {
                return failed(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, "the URL " + refusedAtConnect.get()));
            }
            return failed(connectionFailed(uri, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.CONNECTION_FAILED, "the call was interrupted"));
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                String excerpt = new String(body.readNBytes(EXCERPT_LIMIT), StandardCharsets.UTF_8);
                return failed(new DeliveryAttempt.Answered(status, excerpt, null, RetryAfter.parse(response.headers().firstValue("Retry-After"), clock)));
            }
            String contentType = response.headers().firstValue("Content-Type").filter(type -> !type.isBlank())
                    .orElse("application/octet-stream");
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            String name = response.headers().firstValue("Content-Disposition").map(FILENAME::matcher)
                    .filter(Matcher::find).map(m -> m.group(1).trim()).orElse(null);
            RunFile stored = sink.store(contentType, length, name, body);
            return new Fetch.Stored(stored);
        } catch (UncheckedIOException e) {
            return failed(connectionFailed(uri, e.getCause()));
        } catch (IOException e) {
            return failed(connectionFailed(uri, e));
        }
    }

    private static Fetch failed(DeliveryAttempt attempt) {
        return new Fetch.Failed(attempt);
    }

    private static DeliveryAttempt.Unreachable connectionFailed(URI uri, IOException cause) {
        return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.CONNECTION_FAILED,
                "the download from " + uri.getAuthority() + " failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    private AppTokenClaims fresh(AppTokenClaims claims) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(claims.appInstallationId(), claims.apiUrl(), now, now, now.plus(AppTokenClaims.LIFETIME),
                claims.synchronizationId());
    }
}
