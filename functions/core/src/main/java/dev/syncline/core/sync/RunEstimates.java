package dev.syncline.core.sync;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * How long delivering a plan should take: at the rate the installation's recent runs delivered entries, start to end
 * (their App's latency, window and Syncline's own overhead all in the figure), or, before any run delivered anything, at
 * {@link #DEFAULT_REQUEST_TIME} per request with the installation's window full. Priced by the engine's
 * {@link SyncEngine.PlanCost} from what the installation's recent runs cost.
 */
final class RunEstimates {

    /** A request's time when nothing was measured yet: an App that answers in a fifth of a second. */
    static final Duration DEFAULT_REQUEST_TIME = Duration.ofMillis(200);

    /** The recent runs measured, at most, of the last {@link #HISTORY} the installation had. */
    static final int RECENT_RUNS = 5;
    private static final int HISTORY = 20;

    private final SyncEngine.Ports ports;

    RunEstimates(SyncEngine.Ports ports) {
        this.ports = ports;
    }

    /**
     * The estimate for {@code entries} entries of a run of {@code installationId} (not counting {@code runId} itself):
     * its duration, priced when the installation's recent runs tell a price.
     */
    RunPreview.Estimate estimate(UUID installationId, UUID runId, long entries, int window) {
        RunPreview.Estimate duration = duration(installationId, runId, entries, window);
        OptionalDouble usd = ports.planCost().usd(installationId, entries);
        return usd.isPresent() ? duration.priced(usd.getAsDouble()) : duration;
    }

    private RunPreview.Estimate duration(UUID installationId, UUID runId, long entries, int window) {
        long measuredEntries = 0;
        long measuredMillis = 0;
        int measured = 0;
        for (Run run : ports.runs().history(installationId, HISTORY, null).runs()) {
            if (measured == RECENT_RUNS) {
                break;
            }
            if (run.id().equals(runId) || (run.status() != RunStatus.FINISHED && run.status() != RunStatus.FINISHED_WITH_ERRORS)) {
                continue;
            }
            long delivered = 0;
            for (Map.Entry<Phase, PhaseCounts> phase : ports.dispatch().counts(run.id()).entrySet()) {
                delivered += phase.getValue().succeeded() + phase.getValue().failed();
            }
            if (delivered == 0) {
                continue; // nothing to send: its time says nothing of the App's pace
            }
            measuredEntries += delivered;
            measuredMillis += Duration.between(run.createdAt(), run.updatedAt()).toMillis();
            measured++;
        }
        if (measured > 0) {
            return new RunPreview.Estimate(ceilDiv(entries * measuredMillis, measuredEntries * 1000), RunPreview.Basis.RECENT_RUNS, measured,
                    window);
        }
        return new RunPreview.Estimate(ceilDiv(entries * DEFAULT_REQUEST_TIME.toMillis(), Math.max(1, window) * 1000L),
                RunPreview.Basis.DEFAULT, 0, window);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return divisor == 0 ? 0 : Math.ceilDiv(dividend, divisor);
    }
}
