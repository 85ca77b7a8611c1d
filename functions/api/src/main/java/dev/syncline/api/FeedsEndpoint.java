package dev.syncline.api;

import dev.syncline.core.blob.Blob;
import dev.syncline.core.file.ByteRange;
import dev.syncline.core.file.Feed;
import dev.syncline.core.file.FeedCredentials;
import dev.syncline.core.file.FeedService;
import dev.syncline.core.file.FileObject;
import dev.syncline.core.file.FileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The constant feed URL {@code /feeds/{feed_token}} (GET and HEAD, no API key: the token is the credential,
 * optionally with HTTP basic credentials) and its management under {@code /v1/installations/{id}/feed}.
 *
 * <p>The function itself answers validators and conditions ({@code ETag}, {@code Last-Modified}, 304 for
 * {@code If-None-Match} and {@code If-Modified-Since}, 416 for a range past the end) and streams files and ranges of
 * up to {@link #INLINE_LIMIT} bytes. Larger answers are a 302 to a presigned S3 URL: API Gateway and Lambda cap a
 * response at 6 MB (less after base64), so the bytes of a large file cannot pass through the function. The
 * trade-off: the consumer must follow a redirect to another host (and resend {@code Range} there; clients drop
 * {@code Authorization} on such a redirect, which S3 requires), and the presigned URL expires after
 * {@link #REDIRECT_TTL}.
 */
final class FeedsEndpoint {

    /** Raw bytes whose base64 (4/3 of it) plus headers stays under Lambda's 6 MB response limit. */
    static final long INLINE_LIMIT = 4L * 1024 * 1024;
    static final Duration REDIRECT_TTL = Duration.ofMinutes(5);
    /** IMF-fixdate (RFC 9110 §5.6.7): two-digit day, always GMT. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);
    private static final String CHALLENGE = "Basic realm=\"Syncline feed\", charset=\"UTF-8\"";

    private final FeedService feeds;
    private final FileStore files;
    private final JsonBodies bodies;
    private final dev.syncline.adapters.json.JsonCodec json;

    /** The body of {@code PUT /v1/installations/{id}/feed/basic-auth}. */
    record CredentialsBody(String username, String password) {
    }

    FeedsEndpoint(FeedService feeds, FileStore files, JsonBodies bodies, dev.syncline.adapters.json.JsonCodec json) {
        this.feeds = feeds;
        this.files = files;
        this.bodies = bodies;
        this.json = json;
    }

    // ---- management (API key) ------------------------------------------------------------------------

    /** {@code GET /v1/installations/{id}/feed}. */
    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID id = Ids.installation(path.get("installation_id"));
        return feeds.link(id).map(link -> ApiResponse.json(200, json.write(FeedView.of(link, request))))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "Installation " + id + " has no feed: its App's manifest"
                        + " does not enable synchronization_file_download_latest."));
    }

    /** {@code POST /v1/installations/{id}/feed-token}: a new URL; the old one answers 404 from now on. */
    ApiResponse rotate(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(FeedView.of(feeds.rotate(Ids.installation(path.get("installation_id"))), request)));
    }

    /** {@code PUT /v1/installations/{id}/feed/basic-auth}. */
    ApiResponse protect(ApiRequest request, Map<String, String> path) {
        CredentialsBody body = bodies.read(request, CredentialsBody.class);
        return ApiResponse.json(200, json.write(FeedView.of(
                feeds.protect(Ids.installation(path.get("installation_id")), body.username(), body.password()), request)));
    }

    /** {@code DELETE /v1/installations/{id}/feed/basic-auth}. */
    ApiResponse unprotect(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(FeedView.of(feeds.unprotect(Ids.installation(path.get("installation_id"))), request)));
    }

    /** The absolute feed URL, on the host the request came to. */
    static String feedUrl(ApiRequest request, String token) {
        return request.origin() + "/feeds/" + token;
    }

    // ---- the feed (no API key) -----------------------------------------------------------------------

    /** {@code GET} and {@code HEAD /feeds/{feed_token}}. */
    ApiResponse serve(ApiRequest request, Map<String, String> path) {
        Feed feed = feeds.resolve(path.get("feed_token")).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "No feed has this URL: the token is unknown or was rotated; ask for the current feed URL."));
        if (feed.credentials() != null) {
            authenticate(request, feed.credentials());
        }
        boolean head = request.method().equals("HEAD");
        for (int attempt = 1; ; attempt++) {
            FileObject file = Optional.ofNullable(feed.latestKey()).flatMap(files::describe).orElseThrow(() -> new ProblemException(
                    ProblemType.NOT_FOUND, "This feed has no file yet: it gets one when a synchronization of its installation"
                            + " finishes with a non-empty file."));
            Optional<ApiResponse> answer = answer(request, file, head, attempt > 1);
            if (answer.isPresent()) {
                return answer.get();
            }
            // A promotion replaced the file between describing and reading it: describe it again.
        }
    }

    private Optional<ApiResponse> answer(ApiRequest request, FileObject file, boolean head, boolean lastTry) {
        Map<String, String> headers = new LinkedHashMap<>();
        // The file is the App's: a browser opening the feed URL must not sniff it into a page or run it with the
        // dashboard's origin (an HTML or SVG feed would otherwise be a page on that origin).
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", "sandbox");
        headers.put("ETag", file.etag());
        headers.put("Last-Modified", httpDate(file.lastModified()));
        headers.put("Cache-Control", "no-cache");
        headers.put("Accept-Ranges", "bytes");
        if (notModified(request, file)) {
            return Optional.of(new ApiResponse(304, headers, ""));
        }
        Optional<ByteRange> range = head ? Optional.empty() : range(request, file);
        if (range.isPresent() && range.get().first() >= file.size()) {
            headers.put("Content-Range", "bytes */" + file.size());
            return Optional.of(new ApiResponse(416, headers, ""));
        }
        long length = range.map(ByteRange::length).orElse(file.size());
        if (length > INLINE_LIMIT) {
            // Too large for a Lambda response: S3 answers, with the same ETag and the stored type and disposition.
            headers.put("Cache-Control", "no-store");
            headers.put("Location", files.presignDownload(file.key(), REDIRECT_TTL, contentType(file), disposition(file)).toString());
            return Optional.of(new ApiResponse(302, headers, ""));
        }
        headers.put("Content-Type", contentType(file));
        headers.put("Content-Disposition", disposition(file));
        String sha256 = file.metadata().get("sha256");
        if (sha256 != null && range.isEmpty()) {
            headers.put("X-Checksum-SHA256", sha256);
        }
        if (head) {
            headers.put("Content-Length", Long.toString(file.size()));
            return Optional.of(new ApiResponse(200, headers, ""));
        }
        range.ifPresent(r -> headers.put("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + file.size()));
        try (Blob blob = files.open(file.key(), range).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "This feed's file was just replaced; ask again."))) {
            if (!lastTry && blob.info().etag() != null && !blob.info().etag().equals(file.etag())) {
                return Optional.empty();
            }
            byte[] bytes = blob.content().readAllBytes();
            return Optional.of(ApiResponse.binary(range.isPresent() ? 206 : 200, headers, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the feed's file failed", e);
        }
    }

    private static void authenticate(ApiRequest request, FeedCredentials credentials) {
        Optional<String> header = request.header("Authorization");
        if (header.isPresent() && header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.get().substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0 && credentials.matches(decoded.substring(0, colon), decoded.substring(colon + 1))) {
                    return;
                }
            } catch (IllegalArgumentException notBase64) {
                // answered like wrong credentials below
            }
        }
        throw new ProblemException(ProblemType.UNAUTHORIZED, "This feed needs HTTP basic credentials: send"
                + " 'Authorization: Basic <base64 of user:password>' with the credentials set for it.", Map.of("WWW-Authenticate", CHALLENGE));
    }

    /** RFC 9110 §13.1.2 and §13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since. */
    private static boolean notModified(ApiRequest request, FileObject file) {
        Optional<String> noneMatch = request.header("If-None-Match");
        if (noneMatch.isPresent()) {
            for (String tag : noneMatch.get().split(",")) {
                String candidate = tag.strip();
                if (candidate.equals("*") || weak(candidate).equals(weak(file.etag()))) {
                    return true;
                }
            }
            return false;
        }
        return request.header("If-Modified-Since").flatMap(FeedsEndpoint::parseDate)
                .map(since -> !file.lastModified().truncatedTo(ChronoUnit.SECONDS).isAfter(since))
                .orElse(false);
    }

    /** One satisfiable or past-the-end range (first >= size); empty to send the whole file (RFC 9110 §14.2). */
    private static Optional<ByteRange> range(ApiRequest request, FileObject file) {
        Optional<String> header = request.header("Range");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> ifRange = request.header("If-Range");
        if (ifRange.isPresent() && !ifRange.get().strip().equals(file.etag())
                && !ifRange.get().strip().equals(httpDate(file.lastModified()))) {
            return Optional.empty(); // the client's copy is outdated: it gets the whole new file
        }
        String spec = header.get().strip();
        if (!spec.toLowerCase(Locale.ROOT).startsWith("bytes=") || spec.contains(",")) {
            return Optional.empty(); // other units and multiple ranges: the whole file, as the RFC allows
        }
        String[] bounds = spec.substring(6).strip().split("-", -1);
        if (bounds.length != 2) {
            return Optional.empty();
        }
        try {
            long size = file.size();
            if (bounds[0].isEmpty()) {
                long suffix = Long.parseLong(bounds[1]);
                if (suffix <= 0 || size == 0) {
                    return Optional.of(new ByteRange(Math.max(size, 0), Math.max(size, 0)));
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(bounds[0]);
            long last = bounds[1].isEmpty() ? size - 1 : Long.parseLong(bounds[1]);
            if (first >= size) {
                return Optional.of(new ByteRange(first, first));
            }
            if (last < first) {
                return Optional.empty(); // invalid: ignored
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String contentType(FileObject file) {
        return file.contentType() == null ? "application/octet-stream" : file.contentType();
    }

    private static String disposition(FileObject file) {
        String extension = file.key().substring(file.key().lastIndexOf('.') + 1);
        return file.contentDisposition() != null ? file.contentDisposition() : "attachment; filename=\"latest." + extension + "\"";
    }

    static String httpDate(Instant instant) {
        return HTTP_DATE.format(ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
    }

    private static Optional<Instant> parseDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
