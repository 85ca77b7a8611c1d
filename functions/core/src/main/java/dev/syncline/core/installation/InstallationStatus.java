package dev.syncline.core.installation;

/** Where an installation stands. */
public enum InstallationStatus {
    /** Installed and able to synchronize. */
    ACTIVE("active"),
    /**
     * Not configured yet (the App's manifest has configuration steps and the App does not store every
     * one of them yet), or the App's current manifest no longer accepts the version this installation
     * was configured with (its {@code compatible} rose above it): no synchronization until configured.
     */
    CONFIGURATION_REQUIRED("configuration_required"),
    /** Uninstalled; kept for its history, never synchronized again. */
    UNINSTALLED("uninstalled");

    private final String wireName;

    InstallationStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name as the API shows it. */
    public String wireName() {
        return wireName;
    }
}
