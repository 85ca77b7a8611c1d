package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.adapters.dynamodb.DynamoDbSnapshots;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunDispatch;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/installations/{id}/snapshots}: a small catalog comes as the request body
 * ({@code application/x-ndjson}); a large one, possibly gzip-compressed, is PUT by the PIM to the
 * presigned URL this answers with when the request has no NDJSON body. Also lists, reads and deletes them.
 */
final class SnapshotsEndpoint {

    /** API Gateway and Lambda cap a request near 6 MB; a body over this goes through the upload URL. */
    static final int INLINE_MAX_BYTES = 4 * 1024 * 1024;
    static final Duration UPLOAD_URL_LIFETIME = Duration.ofHours(1);
    static final String NDJSON = "application/x-ndjson";

    record Stored(String snapshotId, long sizeBytes) {
    }

    record Upload(String snapshotId, String uploadUrl, String uploadMethod, Map<String, String> uploadHeaders, String expiresAt) {
    }

    /**
     * A snapshot as the API shows it.
     *
     * @param sizeBytes null until uploaded
     * @param sha256 the SHA-256 of the file as a run read it; null until a run read it
     * @param lines the lines read, blank ones aside; null until a run read it
     * @param synchronizations the runs that used it
     */
    record SnapshotView(String snapshotId, boolean uploaded, Long sizeBytes, String sha256, Long lines, String createdAt,
            List<String> synchronizations, String url) {
    }

    record Snapshots(List<SnapshotView> snapshots, String nextCursor) {
    }

    private final Services services;
    private final JsonCodec json;
    private final Cursors cursors;

    SnapshotsEndpoint(Services services, JsonCodec json, Cursors cursors) {
        this.services = services;
        this.json = json;
        this.cursors = cursors;
    }

    ApiResponse create(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        request.reads().installation(installation);
        String snapshotId = UUID.randomUUID().toString();
        String mediaType = request.header("Content-Type").orElse("").split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.equals(NDJSON)) {
            if (request.header("Content-Encoding").filter(encoding -> !encoding.equalsIgnoreCase("identity")).isPresent()
                    || request.body().startsWith("\u001f")) {
                // The API reads bodies as text: compressed bytes would arrive mangled and every line be rejected.
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "A compressed snapshot cannot come inline; POST"
                        + " without a body to get an upload_url and PUT the gzip file there.");
            }
            byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
            if (body.length > INLINE_MAX_BYTES) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The snapshot is " + body.length + " bytes; at most "
                        + INLINE_MAX_BYTES + " bytes come inline. POST without a body to get an upload_url and PUT the file there"
                        + " (gzip welcome).");
            }
            if (request.body().isBlank()) {
                // The next incremental run would delete everything the App holds: the usual sign of a failed export.
                throw new SynclineException.Invalid("snapshot", List.of(new SynclineException.Violation("body",
                        "the snapshot is empty (no line, or only blank lines); a synchronization of an empty catalog would delete"
                                + " everything the App holds. Send one resource per line: see docs/snapshot-format.md")));
            }
            StoredBlob stored = services.snapshots().putInline(installation, snapshotId, new ByteArrayInputStream(body), body.length);
            services.snapshotRecords().created(installation, snapshotId, services.clock().instant(), null);
            return ApiResponse.json(201, json.write(new Stored(snapshotId, stored.size())));
        }
        if (!request.body().isBlank() && !mediaType.equals("application/json")) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the snapshot as 'Content-Type: " + NDJSON
                    + "', or no body at all to get an upload URL; got '" + request.header("Content-Type").orElse("") + "'.");
        }
        if (mediaType.equals("application/json") && !request.body().isBlank() && !isEmptyObject(request.body())) {
            // A catalog sent as JSON would otherwise get an upload URL, and the next trigger fail on a missing snapshot.
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "A JSON request for an upload URL has no body or '{}'; to"
                    + " send the catalog inline, send NDJSON with 'Content-Type: " + NDJSON + "'.");
        }
        URI url = services.blobs().presignUpload(S3SnapshotStore.key(installation, snapshotId), NDJSON, UPLOAD_URL_LIFETIME);
        Instant expires = services.clock().instant().plus(UPLOAD_URL_LIFETIME);
        services.snapshotRecords().created(installation, snapshotId, services.clock().instant(), expires);
        // If-None-Match: the URL creates the snapshot once; a second PUT cannot change what runs of it send.
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", NDJSON);
        headers.put("If-None-Match", "*");
        return ApiResponse.json(201, json.write(new Upload(snapshotId, url.toString(), "PUT", headers, expires.toString())));
    }

    ApiResponse list(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        request.reads().installation(installation);
        String listing = "snapshots " + installation;
        DynamoDbSnapshots.Page page = services.snapshotRecords().list(installation, SynchronizationsEndpoint.limit(request),
                cursors.open(listing, request.queryParameter("cursor").orElse(null)));
        String next = Cursors.unlessLast(page.nextCursor(),
                position -> !services.snapshotRecords().list(installation, 1, position).snapshots().isEmpty());
        return ApiResponse.json(200, json.write(new Snapshots(page.snapshots().stream().map(record -> view(installation, record)).toList(),
                cursors.seal(listing, next))));
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        return ApiResponse.json(200, json.write(view(installation, find(request, installation, path.get("snapshot_id")))));
    }

    /** Deletes a snapshot's file and record, unless a run that has not ended uses it or its upload URL still works. */
    ApiResponse delete(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        DynamoDbSnapshots.SnapshotRecord record = find(request, installation, path.get("snapshot_id"));
        if (record.uploadUrlExpiresAt() != null && record.uploadUrlExpiresAt().isAfter(services.clock().instant())) {
            // Deleted now, the file could be PUT again through the URL: a new catalog under an id runs already used.
            throw new SynclineException.Conflict("Snapshot " + record.snapshotId() + " has an upload URL that works until "
                    + record.uploadUrlExpiresAt() + "; delete it after that.");
        }
        for (UUID runId : record.runs()) {
            Optional<Run> run = services.runs().find(runId).filter(found -> !found.status().isTerminal());
            if (run.isPresent()) {
                throw new SynclineException.Conflict("Snapshot " + record.snapshotId() + " is used by synchronization " + runId + ", which is "
                        + run.get().status().wireName() + "; delete it once that run has ended, or cancel it with POST /v1/synchronizations/"
                        + runId + "/cancel.");
            }
        }
        services.snapshots().delete(installation, record.snapshotId());
        services.snapshotRecords().delete(installation, record.snapshotId());
        return new ApiResponse(204, Map.of(), "");
    }

    private DynamoDbSnapshots.SnapshotRecord find(ApiRequest request, UUID installation, String snapshotId) {
        request.reads().installation(installation);
        return services.snapshotRecords().find(installation, snapshotId).orElseThrow(() -> new SynclineException.NotFound(
                "No snapshot " + SynclineException.quote(snapshotId) + " exists for installation " + installation
                        + "; GET /v1/installations/" + installation + "/snapshots lists them (they are kept 7 days)."));
    }

    private SnapshotView view(UUID installation, DynamoDbSnapshots.SnapshotRecord record) {
        Optional<StoredBlob> stored = services.snapshots().describe(installation, record.snapshotId());
        // What a run read: every run of a snapshot reads the same bytes, since its upload URL works once.
        Optional<RunDispatch.DispatchState> read = record.runs().stream()
                .map(runId -> services.dispatch().state(runId))
                .flatMap(Optional::stream)
                .filter(state -> state.snapshotSha256().isPresent())
                .findFirst();
        return new SnapshotView(record.snapshotId(), stored.isPresent(), stored.map(StoredBlob::size).orElse(null),
                read.flatMap(RunDispatch.DispatchState::snapshotSha256).orElse(null),
                read.flatMap(RunDispatch.DispatchState::snapshotLines).orElse(null),
                record.createdAt().toString(),
                record.runs().stream().map(UUID::toString).toList(),
                "/v1/installations/" + installation + "/snapshots/" + record.snapshotId());
    }

    private boolean isEmptyObject(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() && node.isEmpty();
        } catch (MalformedJsonException notJson) {
            return false;
        }
    }
}
