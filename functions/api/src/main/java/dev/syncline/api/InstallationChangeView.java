package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.installation.InstallationResult;
import dev.syncline.core.installation.LifecycleNotice;

/**
 * The answer to an install or uninstall: the installation, and what became of the lifecycle event its App was
 * owed ({@code app_installed}, {@code app_uninstalled}).
 */
record InstallationChangeView(@JsonUnwrapped InstallationView installation, LifecycleEvent lifecycleEvent) {

    /**
     * @param name the event
     * @param sent whether it was sent: only when the App subscribes to it
     * @param accepted whether the App answered 2xx; {@code null} when not sent
     * @param appAnswer what the App answered, e.g. "answered 204 with an empty body"; {@code null} when not sent
     */
    record LifecycleEvent(String name, boolean sent, Boolean accepted, String appAnswer) {
    }

    /** With the webhook the install set, its signing secret shown this once. */
    InstallationChangeView withWebhook(WebhookView webhook) {
        return new InstallationChangeView(installation.withWebhook(webhook), lifecycleEvent);
    }

    static InstallationChangeView of(InstallationResult result) {
        LifecycleEvent event = switch (result.notice()) {
            case LifecycleNotice.NotSubscribed notSubscribed ->
                    new LifecycleEvent(notSubscribed.event().wireName(), false, null, null);
            case LifecycleNotice.Sent sent -> {
                AppCallOutcome outcome = sent.outcome();
                yield new LifecycleEvent(sent.event().wireName(), true, outcome.succeeded(), outcome.describe());
            }
        };
        return new InstallationChangeView(InstallationView.of(result.installation()), event);
    }
}
