package dev.syncline.api;

import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.file.RunFile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /v1/synchronizations/{id}/file}: the file the App generated for that run, by a redirect to a
 * short-lived presigned S3 URL whose answer carries the stored {@code Content-Type} and a {@code Content-Disposition}
 * with the file's name. Files of any size pass, since the bytes never go through the function.
 */
final class FilesEndpoint {

    static final Duration LINK_TTL = Duration.ofMinutes(5);

    /** The answer to a request that accepts JSON: the short-lived link and the file's checksum. */
    record DownloadLink(String downloadUrl, String sha256) {
    }

    private final Services services;

    FilesEndpoint(Services services) {
        this.services = services;
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID runId = Ids.synchronization(path.get("synchronization_id"));
        request.reads().run(runId);
        RunFile file = services.runFiles().find(runId).orElseThrow(() -> new SynclineException.NotFound("Synchronization " + runId
                + " has no file: " + services.runFiles().fetch(runId)
                        .map(fetch -> switch (fetch.status()) {
                            case PENDING -> "it is being fetched from the App; retry when the run's file.status is stored.";
                            case FAILED, TOO_LARGE -> "its file is " + fetch.status().wireName() + " (" + fetch.reason() + ")";
                            case STORED -> "its record is incomplete.";
                        })
                        .orElse("its App does not enable synchronization_file_download, or the run has not finished (well).")));
        String link = services.files().presignDownload(file.key(), LINK_TTL, file.contentType(), file.contentDisposition()).toString();
        if (request.header("Accept").filter(accept -> accept.contains("application/json")).isPresent()) {
            // A browser script cannot read a redirect's Location; it asks for the link as JSON and follows it itself.
            return ApiResponse.json(200, services.json().write(new DownloadLink(link, file.sha256())))
                    .withHeader("Cache-Control", "no-store");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", link);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Checksum-SHA256", file.sha256());
        return new ApiResponse(302, headers, "");
    }
}
