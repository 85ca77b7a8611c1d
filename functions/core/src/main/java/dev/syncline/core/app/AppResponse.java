package dev.syncline.core.app;

/**
 * The App answered.
 *
 * @param status the HTTP status
 * @param bodyExcerpt the start of the body: whatever is passed in is cut to {@link
 *     AppCallOutcome#EXCERPT_LIMIT} characters; empty when there was none
 */
public record AppResponse(int status, String bodyExcerpt) implements AppCallOutcome {

    public AppResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100–599, got " + status);
        }
        bodyExcerpt = AppCallOutcome.excerpt(bodyExcerpt);
    }

    @Override
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    @Override
    public String describe() {
        return bodyExcerpt.isEmpty()
                ? "answered " + status + " with an empty body"
                : "answered " + status + ": '" + bodyExcerpt + "'";
    }
}
