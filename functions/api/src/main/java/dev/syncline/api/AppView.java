package dev.syncline.api;

import dev.syncline.core.app.RegisteredApp;

/** A registered App in a listing: its latest version and whether it was retired. */
record AppView(String appId, String name, String version, String registeredAt, boolean retired, String retiredAt) {

    static AppView of(RegisteredApp app) {
        return new AppView(
                app.latest().appId().value(),
                app.latest().name(),
                app.latest().version().toString(),
                app.latest().registeredAt().toString(),
                app.retired(),
                app.retired() ? app.retiredAt().toString() : null);
    }
}
