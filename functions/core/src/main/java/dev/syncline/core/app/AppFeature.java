package dev.syncline.core.app;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A capability an App declares in its manifest's {@code features}. */
public enum AppFeature {
    /** Incremental runs: the first sends everything, later ones only what changed. */
    SYNCHRONIZATION("synchronization"),
    /** Full runs: every run sends everything. */
    SYNCHRONIZATION_FULL("synchronization_full"),
    /** After each run the engine fetches the file the App produced and keeps it per run. */
    SYNCHRONIZATION_FILE_DOWNLOAD("synchronization_file_download"),
    /** A constant URL serves the most recent good file. */
    SYNCHRONIZATION_FILE_DOWNLOAD_LATEST("synchronization_file_download_latest"),
    /** Runs can be scheduled per installation. */
    SYNCHRONIZATION_SCHEDULER("synchronization_scheduler");

    private final String wireName;

    AppFeature(String wireName) {
        this.wireName = wireName;
    }

    /** The name as the manifest spells it. */
    public String wireName() {
        return wireName;
    }

    /** The feature a manifest names, or empty when it names none we know. */
    public static Optional<AppFeature> fromWireName(String name) {
        return Arrays.stream(values()).filter(feature -> feature.wireName.equals(name)).findFirst();
    }

    static String known() {
        return Arrays.stream(values()).map(AppFeature::wireName).collect(Collectors.joining(", "));
    }
}
