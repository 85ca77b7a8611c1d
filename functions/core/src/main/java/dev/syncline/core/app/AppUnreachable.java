package dev.syncline.core.app;

import java.util.Objects;

/**
 * The App gave no answer.
 *
 * @param reason why
 * @param detail what the transport said: whatever is passed in is cut to {@link
 *     AppCallOutcome#EXCERPT_LIMIT} characters
 */
public record AppUnreachable(Reason reason, String detail) implements AppCallOutcome {

    /** Why no answer came. */
    public enum Reason {
        /** No answer within the call's timeout. */
        TIMEOUT("timed out"),
        /** No connection: DNS failure, refused connection, TLS failure, reset. */
        CONNECTION_FAILED("could not be reached"),
        /**
         * The engine refused to call the URL (e.g. it resolves to a private or metadata address).
         */
        URL_REFUSED("was not called: its URL is refused");

        private final String phrase;

        Reason(String phrase) {
            this.phrase = phrase;
        }
    }

    public AppUnreachable {
        Objects.requireNonNull(reason, "reason");
        detail = AppCallOutcome.excerpt(detail);
    }

    @Override
    public boolean succeeded() {
        return false;
    }

    @Override
    public String describe() {
        return detail.isEmpty() ? reason.phrase : reason.phrase + ": " + detail;
    }
}
