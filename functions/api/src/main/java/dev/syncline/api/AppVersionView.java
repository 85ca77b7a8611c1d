package dev.syncline.api;

import dev.syncline.core.app.AppVersion;

/** One registered version of an App and whether it was retired. */
record AppVersionView(String appId, String version, String registeredAt, boolean retired, String retiredAt) {

    static AppVersionView of(AppVersion version) {
        return new AppVersionView(
                version.manifest().appId().value(),
                version.version().toString(),
                version.manifest().registeredAt().toString(),
                version.retired(),
                version.retired() ? version.retiredAt().toString() : null);
    }
}
