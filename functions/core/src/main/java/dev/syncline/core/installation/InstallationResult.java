package dev.syncline.core.installation;

import java.util.Objects;

/**
 * An installation after an install or uninstall, and what became of the lifecycle event sent to its
 * App.
 *
 * @param installation the installation as now stored
 * @param notice whether {@code app_installed} / {@code app_uninstalled} was sent and how the App
 *     answered
 */
public record InstallationResult(Installation installation, LifecycleNotice notice) {
    public InstallationResult {
        Objects.requireNonNull(installation, "installation");
        Objects.requireNonNull(notice, "notice");
    }
}
