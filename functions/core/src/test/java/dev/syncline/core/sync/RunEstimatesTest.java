package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.plan.PlanTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunEstimatesTest {

    private static final UUID INSTALLATION = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-03-05T10:00:00Z");

    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryRunDispatch dispatch = new InMemoryRunDispatch(runs);
    /** What an entry of the installation costs, as its recent runs tell; nothing until a test says. */
    private OptionalDouble usdPerEntry = OptionalDouble.empty();
    private final RunEstimates estimates = new RunEstimates(new SyncEngine.Ports(runs, dispatch, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, new InMemoryRunPreviews(),
            (installation, entries) -> installation.equals(INSTALLATION) && usdPerEntry.isPresent()
                    ? OptionalDouble.of(entries * usdPerEntry.getAsDouble())
                    : OptionalDouble.empty(),
            SyncEngine.Ports.DEFAULT_TENANT_MAX_ACTIVE_RUNS));

    @Test
    void estimate_beforeAnyRunDeliveredAnything_assumes200MillisecondsPerRequestWithTheWindowFull() {
        ended(RunStatus.FAILED, 0, 0, Duration.ofSeconds(1), 0);
        ended(RunStatus.FINISHED, 0, 0, Duration.ofSeconds(5), 1);

        RunPreview.Estimate estimate = estimates.estimate(INSTALLATION, UUID.randomUUID(), 100, 4);

        assertThat(estimate).isEqualTo(new RunPreview.Estimate(5, RunPreview.Basis.DEFAULT, 0, 4));
    }

    @Test
    void estimate_goesAtThePaceOfTheRecentRunsThatDelivered_notCountingFailedCancelledOrEmptyOnes() {
        ended(RunStatus.FINISHED, 100, 0, Duration.ofSeconds(20), 0);
        ended(RunStatus.FINISHED_WITH_ERRORS, 40, 10, Duration.ofSeconds(10), 1);
        ended(RunStatus.CANCELLED, 1, 0, Duration.ofSeconds(100), 2);
        ended(RunStatus.FINISHED, 0, 0, Duration.ofSeconds(100), 3);

        RunPreview.Estimate estimate = estimates.estimate(INSTALLATION, UUID.randomUUID(), 300, 4);

        assertThat(estimate).as("150 entries in 30 s: 5 a second").isEqualTo(new RunPreview.Estimate(60, RunPreview.Basis.RECENT_RUNS, 2, 4));
    }

    @Test
    void estimate_measuresTheFiveNewestRunsAtMost() {
        for (int i = 0; i < 5; i++) {
            ended(RunStatus.FINISHED, 10, 0, Duration.ofSeconds(1), 10 + i); // newer: 10 a second
        }
        ended(RunStatus.FINISHED, 10, 0, Duration.ofSeconds(1000), 0); // oldest, and slow

        RunPreview.Estimate estimate = estimates.estimate(INSTALLATION, UUID.randomUUID(), 100, 4);

        assertThat(estimate).isEqualTo(new RunPreview.Estimate(10, RunPreview.Basis.RECENT_RUNS, 5, 4));
    }

    @Test
    void estimate_isPricedWhenItIsMade_atWhatTheInstallationsRunsCostPerEntry() {
        ended(RunStatus.FINISHED, 100, 0, Duration.ofSeconds(20), 0);
        usdPerEntry = OptionalDouble.of(0.0002);

        RunPreview.Estimate estimate = estimates.estimate(INSTALLATION, UUID.randomUUID(), 300, 4);

        assertThat(estimate).isEqualTo(new RunPreview.Estimate(60, RunPreview.Basis.RECENT_RUNS, 1, 4, 300 * 0.0002));
    }

    @Test
    void estimate_beforeAnyRunToPriceFrom_hasNoPrice() {
        ended(RunStatus.FINISHED, 100, 0, Duration.ofSeconds(20), 0);

        assertThat(estimates.estimate(INSTALLATION, UUID.randomUUID(), 300, 4).estimatedUsd()).isNull();
    }

    /** A run of the installation created {@code minutes} after T0 that ended in {@code status} after {@code took}. */
    private void ended(RunStatus status, long succeeded, long failed, Duration took, int minutes) {
        UUID id = UUID.randomUUID();
        Instant created = T0.plus(Duration.ofMinutes(minutes));
        runs.put(Run.start(id, INSTALLATION, SyncMode.INCREMENTAL, "snapshot", created));
        dispatch.planned(id, new PlanTotals(Map.of(Phase.PRODUCTS, new int[] {(int) Math.max(1, succeeded + failed)}), 0),
                Optional.of(Phase.PRODUCTS), 4, created);
        dispatch.count(id, Phase.PRODUCTS, 0, new PhaseCounts(0, succeeded, failed, 0), created);
        runs.put(new Run(id, INSTALLATION, SyncMode.INCREMENTAL, "snapshot", status, null, created, created.plus(took), Map.of()));
    }
}
