package dev.syncline.core.delivery;

import java.util.List;
import java.util.UUID;

/** What became of the notices about one run or installation (its subject), the last outcome per event. */
public interface Notifications {

    void record(UUID subject, Notification notification);

    /** In the order the events were first recorded; empty when none was sent. */
    List<Notification> find(UUID subject);

    /** Keeps nothing. */
    Notifications NONE = new Notifications() {
        @Override
        public void record(UUID subject, Notification notification) {
            // nothing
        }

        @Override
        public List<Notification> find(UUID subject) {
            return List.of();
        }
    };
}
