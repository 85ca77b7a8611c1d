package dev.syncline.adapters.http;

import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.blob.BlobStore;
import dev.syncline.core.blob.BoundedInputStream;
import dev.syncline.core.schedule.SnapshotFetcher;
import dev.syncline.core.schedule.SnapshotSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pulls a scheduled run's snapshot from the PIM's snapshot source with {@code java.net.http}: the URL checked
 * against the same rules as an App's right before the call, redirects never followed, the body streamed into the
 * snapshot store as it arrives (plain or gzip NDJSON, as an upload may be), cut off past {@code maxBytes} or once
 * {@code timeout} has passed since the request went out, whichever comes first.
 */
public final class HttpSnapshotFetcher implements SnapshotFetcher {

    /** Fits a scheduled-run invocation (60 s) with room to plan the trigger afterwards. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
    /** The same order as the largest catalogs the planner is sized for, gzip-compressed. */
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;
    private static final int EXCERPT_LIMIT = 200;

    private final HttpClient http;
    private final AppUrlPolicy urlPolicy;
    private final S3SnapshotStore snapshots;
    private final Duration timeout;
    private final long maxBytes;
    private final ExecutorService transfers = Executors.newVirtualThreadPerTaskExecutor();

    private HttpSnapshotFetcher(AppUrlPolicy urlPolicy, S3SnapshotStore snapshots, Duration connectTimeout, Duration timeout, long maxBytes) {
        this.http = AppHttpClient.create(connectTimeout);
        this.urlPolicy = urlPolicy;
        this.snapshots = snapshots;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    public static HttpSnapshotFetcher create(AppUrlPolicy urlPolicy, S3SnapshotStore snapshots, Duration connectTimeout, Duration timeout,
            long maxBytes) {
        return new HttpSnapshotFetcher(urlPolicy, snapshots, connectTimeout, timeout, maxBytes);
    }

    @Override
    public void fetch(UUID installationId, SnapshotSource source, String headerValue, String snapshotId) {
        URI uri = source.url().uri();
        urlPolicy.refusal(source.url()).ifPresent(refusal -> {
            throw new SnapshotSourceException("its URL " + refusal);
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout)
                .header("Accept", "application/x-ndjson, application/gzip, */*")
                .header("User-Agent", "Syncline");
        if (source.headerName() != null) {
            request.header(source.headerName(), headerValue);
        }
        long started = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new SnapshotSourceException("no connection to " + uri.getAuthority() + " within the connect timeout");
        } catch (HttpTimeoutException e) {
            throw new SnapshotSourceException("no answer from " + uri.getAuthority() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            AppUrlGuard.refusalAtConnect(e, uri).ifPresent(refusal -> {
                throw new SnapshotSourceException("its URL " + refusal);
            });
            throw new SnapshotSourceException("the request to " + uri.getAuthority() + " failed: " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotSourceException("the request to " + uri.getAuthority() + " was interrupted");
        }
        Duration left = timeout.minusNanos(System.nanoTime() - started);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                String excerpt = new String(body.readNBytes(EXCERPT_LIMIT), StandardCharsets.UTF_8).strip();
                throw new SnapshotSourceException(uri.getAuthority() + " answered " + status
                        + (status / 100 == 3 ? " (redirects are not followed: give the final URL)" : "")
                        + (excerpt.isEmpty() ? "" : ": " + excerpt));
            }
            if (response.headers().firstValueAsLong("Content-Length").orElse(-1) > maxBytes) {
                throw tooLarge();
            }
            // A blocked read has no timeout of its own: the transfer runs aside, and is interrupted at the deadline.
            Future<?> transfer = transfers.submit(() -> snapshots.putInline(installationId, snapshotId,
                    new BoundedInputStream(body, maxBytes, TooLarge::new), BlobStore.UNKNOWN_LENGTH));
            try {
                transfer.get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                transfer.cancel(true);
                throw new SnapshotSourceException("the transfer from " + uri.getAuthority() + " took longer than " + timeout.toSeconds()
                        + " s; serve a smaller (gzip) file or upload it with POST /v1/installations/{id}/snapshots");
            } catch (InterruptedException e) {
                transfer.cancel(true);
                Thread.currentThread().interrupt();
                throw new SnapshotSourceException("the transfer from " + uri.getAuthority() + " was interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
                if (cause instanceof TooLarge) {
                    throw tooLarge();
                }
                if (cause instanceof IOException) {
                    throw new SnapshotSourceException("the transfer from " + uri.getAuthority() + " failed: " + reason(cause));
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        } catch (IOException e) {
            throw new SnapshotSourceException("the transfer from " + uri.getAuthority() + " failed: " + reason(e));
        }
    }

    private SnapshotSourceException tooLarge() {
        return new SnapshotSourceException("it serves more than " + maxBytes + " bytes; serve it gzip-compressed or upload it with"
                + " POST /v1/installations/{id}/snapshots");
    }

    private static String reason(Throwable e) {
        if (e instanceof ConnectException) {
            return "the connection was refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Past the limit: stops the transfer. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the snapshot source serves more bytes than allowed");
        }
    }
}
