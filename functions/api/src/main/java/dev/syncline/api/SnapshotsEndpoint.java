package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.blob.StoredBlob;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/installations/{id}/snapshots}: a small catalog comes as the request body
 * ({@code application/x-ndjson}); a large one, possibly gzip-compressed, is PUT by the PIM to the
 * presigned URL this answers with when the request has no NDJSON body.
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

    private final Services services;
    private final JsonCodec json;

    SnapshotsEndpoint(Services services, JsonCodec json) {
        this.services = services;
        this.json = json;
    }

    ApiResponse create(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        services.installations().find(installation);
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
        // If-None-Match: the URL creates the snapshot once; a second PUT cannot change what runs of it send.
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", NDJSON);
        headers.put("If-None-Match", "*");
        return ApiResponse.json(201, json.write(new Upload(snapshotId, url.toString(), "PUT", headers, expires.toString())));
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
