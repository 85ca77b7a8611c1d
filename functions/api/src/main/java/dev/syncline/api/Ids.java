package dev.syncline.api;

import dev.syncline.core.SynclineException;
import java.util.UUID;
import java.util.regex.Pattern;

/** Path ids: UUIDs in their canonical text form, anything else answered with what an id looks like. */
final class Ids {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static UUID installation(String text) {
        return parse(text, "installation");
    }

    static UUID synchronization(String text) {
        return parse(text, "synchronization");
    }

    private static UUID parse(String text, String what) {
        // UUID.fromString alone would take "1-2-3-4-5".
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw new SynclineException.NotFound("no " + what + " has id " + SynclineException.quote(text)
                    + ": " + what + " ids are UUIDs such as 3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f");
        }
        return UUID.fromString(text);
    }
}
