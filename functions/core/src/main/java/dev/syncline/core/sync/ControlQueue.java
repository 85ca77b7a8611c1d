package dev.syncline.core.sync;

import java.util.UUID;

/** The control queue, read by the function with the longest timeout (the planner's): planning and file fetches. */
public interface ControlQueue {

    /** Asks for a run to be planned. */
    void prepare(UUID runId);

    /** Asks for an ended run's file to be fetched from the App ({@code GET /download-file}). */
    void fetchFile(UUID runId);
}
