package dev.syncline.core.sync;

import java.util.Optional;
import java.util.UUID;

/** The previews of runs asked for as previews, kept with the run once it is planned. */
public interface RunPreviews {

    /** Stores a run's preview; storing it again replaces it (a planning pass repeated). */
    void save(UUID runId, RunPreview preview);

    /** The run's preview, empty until it is planned or when the run is not a preview. */
    Optional<RunPreview> find(UUID runId);
}
