package dev.syncline.core.schedule;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.EncryptedSecret;
import java.util.Objects;

/**
 * Where a scheduled run pulls its snapshot from: an HTTPS URL the PIM serves (NDJSON, optionally gzip), fetched with
 * an optional header whose value is a secret, kept encrypted and never shown back.
 *
 * @param headerName the header sent with the secret, or null for none
 * @param headerValue the encrypted value of that header, or null for none
 */
public record SnapshotSource(HttpUrl url, String headerName, EncryptedSecret headerValue) {

    public SnapshotSource {
        Objects.requireNonNull(url, "url");
        if ((headerName == null) != (headerValue == null)) {
            throw new IllegalArgumentException("a header needs both its name and its value");
        }
    }
}
