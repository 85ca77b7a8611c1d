package dev.syncline.core.app;

import dev.syncline.core.SynclineException;

import java.util.Objects;

/**
 * A request needed an App's cooperation and the App did not give it (the API answers 502). The
 * message says which call failed and what the App answered; {@link #outcome} carries it for the
 * response body.
 */
public final class AppCallFailedException extends SynclineException.UpstreamFailure {

    private static final long serialVersionUID = 1L;

    // Domain exceptions are never serialized (the API answers with JSON).
    private final transient AppCallOutcome outcome;

    public AppCallFailedException(String message, AppCallOutcome outcome) {
        super(message);
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** What the App answered, or why it could not answer. */
    public AppCallOutcome outcome() {
        return outcome;
    }
}
