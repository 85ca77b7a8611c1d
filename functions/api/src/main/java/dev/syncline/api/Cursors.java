package dev.syncline.api;

import dev.syncline.core.SynclineException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque page cursors: base64url text a client passes back unchanged. */
final class Cursors {

    private Cursors() {
    }

    static String of(Object position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String text(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                return text;
            }
        } catch (IllegalArgumentException e) {
            // Answered below.
        }
        throw invalid();
    }

    static long number(String cursor) {
        try {
            return Long.parseLong(text(cursor));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static SynclineException.Invalid invalid() {
        return new SynclineException.Invalid("query", List.of(new SynclineException.Violation("cursor",
                "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
    }
}
