package dev.syncline.core.sync;

import java.util.UUID;

/** Hands runs to the planner (the control queue). */
public interface ControlQueue {

    void prepare(UUID runId);
}
