package dev.syncline.core.installation;

import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;

import java.util.Objects;

/**
 * What became of the lifecycle event ({@code app_installed}, {@code app_uninstalled}) an
 * installation change owes its App. Its failure does not undo the change: the handshake, not this
 * event, is what an installation depends on, and an uninstall must succeed whatever the App says.
 */
public sealed interface LifecycleNotice {

    /** The App's manifest does not subscribe to the event, so none was sent. */
    record NotSubscribed(AppEvent event) implements LifecycleNotice {
        public NotSubscribed {
            Objects.requireNonNull(event, "event");
        }
    }

    /** The event was sent; {@code outcome} says whether the App accepted it. */
    record Sent(AppEvent event, AppCallOutcome outcome) implements LifecycleNotice {
        public Sent {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
