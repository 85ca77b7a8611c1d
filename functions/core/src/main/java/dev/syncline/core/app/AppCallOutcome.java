package dev.syncline.core.app;

/**
 * How a call from the engine to an App ended: the App answered ({@link AppResponse}), or it could
 * not be reached ({@link AppUnreachable}). Adapters return this rather than throw, so that every
 * caller decides what an App's failure means in its own terms.
 */
public sealed interface AppCallOutcome permits AppResponse, AppUnreachable {

    /** The longest excerpt of an App's answer the engine keeps, in characters. */
    int EXCERPT_LIMIT = 500;

    /** Whether the App accepted the call: it answered with a 2xx status. */
    boolean succeeded();

    /** What happened, for messages: "answered 401: 'invalid token'", "timed out: …". */
    String describe();

    /**
     * Bounds text taken from an App (a response body, an error) to {@link #EXCERPT_LIMIT}
     * characters, marking a cut with "…": Apps are not ours, and what we keep of them must stay
     * small.
     */
    static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= EXCERPT_LIMIT) {
            return text;
        }
        // Cut on a code point boundary, never inside a surrogate pair.
        return text.substring(0, text.offsetByCodePoints(0, EXCERPT_LIMIT - 1)) + "…";
    }
}
