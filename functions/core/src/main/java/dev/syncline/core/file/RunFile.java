package dev.syncline.core.file;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The file an App generated for one run, as stored under {@code files/<installation>/<run>/<name>}.
 *
 * @param name the file name, from the App's {@code Content-Disposition} or made from the content type
 * @param sizeBytes what was stored; 0 for an empty file
 * @param sha256 lowercase hex SHA-256 of the bytes stored
 */
public record RunFile(UUID runId, UUID installationId, String key, String name, long sizeBytes, String sha256,
                      String contentType, Instant storedAt) {

    public RunFile {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(storedAt, "storedAt");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative, got " + sizeBytes);
        }
    }

    /** The per-run key: every run's file is kept, under its installation and run. */
    public static String key(UUID installationId, UUID runId, String name) {
        return "files/" + installationId + "/" + runId + "/" + name;
    }

    /** The {@code Content-Disposition} a download of this file carries. */
    public String contentDisposition() {
        return FileNames.attachment(name);
    }
}
