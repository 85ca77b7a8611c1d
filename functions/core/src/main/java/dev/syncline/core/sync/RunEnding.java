package dev.syncline.core.sync;

/**
 * What happens once a run has its final status and the App was told: the App's generated file is asked for (fetched
 * later, outside the run, so that a run's status never waits for its file). The engine calls it; {@link #NONE}
 * does nothing.
 */
public interface RunEnding {

    /** Called once a run has its final status, whatever it is ({@code finished} … {@code cancelled}); may be repeated. */
    void afterEnd(Run run);

    /** Nothing to do. */
    RunEnding NONE = run -> {
        // nothing
    };
}
