package dev.syncline.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.sync.InMemoryRunDispatch;
import dev.syncline.core.sync.InMemoryRunStore;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunCostsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T01:00:00Z");
    private static final UUID INSTALLATION = UUID.randomUUID();

    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryRunDispatch dispatch = new InMemoryRunDispatch(runs);
    private final Map<UUID, RunUsage> used = new HashMap<>();
    private final RunUsageStore usage = new RunUsageStore() {
        @Override
        public void add(UUID runId, RunUsage added) {
            used.merge(runId, added, RunUsage::plus);
        }

        @Override
        public RunUsage find(UUID runId) {
            return used.getOrDefault(runId, RunUsage.none());
        }

        @Override
        public Map<UUID, RunUsage> findAll(Collection<UUID> runIds) {
            Map<UUID, RunUsage> found = new HashMap<>();
            runIds.forEach(runId -> found.put(runId, find(runId)));
            return found;
        }
    };
    private final RunCosts costs = new RunCosts(runs, dispatch, usage, AwsPrices.US_EAST_1, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void byMonth_addsUpTheRunsOfEachMonth_newestFirst_withTheEmptyMonthsBetween() {
        UUID december1 = run("2026-12-01T10:00:00Z", writeUnits(100));
        UUID december2 = run("2026-12-04T23:59:59Z", writeUnits(60));
        UUID october = run("2026-10-15T08:00:00Z", writeUnits(10));
        run("2026-06-30T23:00:00Z", writeUnits(1_000)); // before the six months asked
        run("2026-12-02T00:00:00Z", writeUnits(5), UUID.randomUUID()); // another installation's

        RunCosts.Months months = costs.byMonth(INSTALLATION, 6);

        assertThat(months.complete()).isTrue();
        assertThat(months.months()).extracting(RunCosts.Month::month).containsExactly(YearMonth.of(2026, 12), YearMonth.of(2026, 11),
                YearMonth.of(2026, 10), YearMonth.of(2026, 9), YearMonth.of(2026, 8), YearMonth.of(2026, 7));
        assertThat(months.months()).extracting(RunCosts.Month::runs).containsExactly(2, 0, 1, 0, 0, 0);
        assertThat(months.months().get(0).cost().usage()).isEqualTo(used.get(december1).plus(used.get(december2)));
        assertThat(months.months().get(0).cost().total()).isCloseTo(160 * 0.625 / 1e6, within(1e-12));
        assertThat(months.months().get(2).cost().usage()).isEqualTo(used.get(october));
        assertThat(months.months().get(1).cost().total()).isZero();
    }

    @Test
    void estimate_scalesWhatTheRecentRunsCostPerPlannedEntry() {
        UUID small = run("2026-12-01T10:00:00Z", writeUnits(300));
        planAndFinish(small, 100);
        UUID large = run("2026-12-02T10:00:00Z", writeUnits(500));
        planAndFinish(large, 300);

        Optional<CostEstimate> estimate = costs.estimate(INSTALLATION, 1_000);

        // 800 write units over 400 entries: 2 per entry.
        assertThat(estimate).isPresent();
        assertThat(estimate.get().usage().of("DynamoDb", "PutItem").writeUnits()).isCloseTo(2_000, within(1e-9));
        assertThat(estimate.get().total()).isCloseTo(2_000 * 0.625 / 1e6, within(1e-12));
    }

    @Test
    void estimate_beforeAnyRunSentSomething_isEmpty() {
        run("2026-12-01T10:00:00Z", writeUnits(300));

        assertThat(costs.estimate(INSTALLATION, 1_000)).isEmpty();
    }

    private UUID run(String createdAt, RunUsage usedByIt) {
        return run(createdAt, usedByIt, INSTALLATION);
    }

    private UUID run(String createdAt, RunUsage usedByIt, UUID installation) {
        Run run = Run.start(UUID.randomUUID(), installation, SyncMode.INCREMENTAL, "snapshot", Instant.parse(createdAt));
        runs.create(run);
        usage.add(run.id(), usedByIt);
        return run.id();
    }

    private void planAndFinish(UUID runId, int entries) {
        dispatch.planned(runId, new PlanTotals(Map.of(Phase.PRODUCTS, new int[] {entries}), 0), Optional.of(Phase.PRODUCTS), 4, null, NOW);
        runs.transition(runId, RunStatus.EXECUTION, RunStatus.FINISHED, null, NOW);
    }

    private static RunUsage writeUnits(double units) {
        return RunUsage.none().plusRequest("DynamoDb", "PutItem", new RunUsage.Requests(1, 0, units));
    }
}
