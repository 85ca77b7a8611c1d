package dev.syncline.core.app;

import dev.syncline.core.SynclineException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The identifier an App is registered under, chosen by whoever registers it ({@code PUT
 * /v1/apps/{app_id}}). It appears in URLs and storage keys, hence the narrow alphabet.
 *
 * @param value 3–64 lowercase ASCII letters, digits and dashes, starting with a letter and not
 *     ending with a dash, e.g. {@code shop-export}
 */
public record AppId(String value) {

    /** The rule, phrased to complete "app_id must be …" in messages. */
    public static final String RULE =
            "3–64 characters of lowercase letters, digits and dashes, starting with a letter and"
                + " not ending with a dash (e.g. shop-export)";

    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,62}[a-z0-9]");

    public AppId {
        if (!isValid(value)) {
            throw new IllegalArgumentException(
                    "app_id must be " + RULE + ", got " + SynclineException.quote(value));
        }
    }

    /**
     * Reads an app id from a request.
     *
     * @throws SynclineException.Invalid naming the rule when {@code text} breaks it
     */
    public static AppId parse(String text) {
        if (!isValid(text)) {
            throw new SynclineException.Invalid("app_id", List.of(violation(text)));
        }
        return new AppId(text);
    }

    /** Whether {@code text} follows {@link #RULE}. */
    public static boolean isValid(String text) {
        return text != null && VALID.matcher(text).matches();
    }

    /** The violation of {@link #RULE} by {@code text}, for requests that carry an app id. */
    public static SynclineException.Violation violation(String text) {
        return new SynclineException.Violation(
                "app_id", "app_id must be " + RULE + ", got " + SynclineException.quote(text));
    }

    @Override
    public String toString() {
        return value;
    }
}
