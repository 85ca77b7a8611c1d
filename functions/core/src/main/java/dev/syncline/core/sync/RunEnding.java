package dev.syncline.core.sync;

/**
 * What happens around a run's final status besides counting: the App's generated file is fetched once the last
 * phase is terminal (it can fail the run's outcome), and promoted to the installation's feed once the run has
 * ended well. The engine calls it; {@link #NONE} does nothing.
 */
public interface RunEnding {

    /**
     * Called by the one caller that finishes a run, after its last phase is terminal and before its final status
     * is set. It may take long (a multi-gigabyte download).
     */
    Verdict beforeFinish(Run run);

    /** Called once a run has its final status, whatever it is ({@code finished} … {@code cancelled}). */
    void afterEnd(Run run);

    /** How finishing goes on. */
    sealed interface Verdict {

        /**
         * Set the final status now.
         *
         * @param failure why the run must end {@code finished_with_errors}; null when nothing went wrong
         */
        record Proceed(String failure) implements Verdict {
        }

        /** Someone else is finishing this run at this moment: leave it to them (the reconciler retries if they die). */
        record Busy() implements Verdict {
        }
    }

    /** Nothing to do before or after. */
    RunEnding NONE = new RunEnding() {
        @Override
        public Verdict beforeFinish(Run run) {
            return new Verdict.Proceed(null);
        }

        @Override
        public void afterEnd(Run run) {
            // nothing
        }
    };
}
