package dev.syncline.core.cost;

import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunDispatch;
import dev.syncline.core.sync.RunStore;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an installation's runs cost: totals per calendar month (UTC) from the run history, and an estimate for a
 * number of entries from what its recent runs cost per entry. Both read a bounded part of the history.
 */
public final class RunCosts {

    /** The most months one answer covers. */
    public static final int MAX_MONTHS = 24;
    /** The most runs one monthly listing reads; an installation that ran more in the months asked gets a partial answer. */
    static final int MAX_RUNS = 2_000;
    /** The most recent runs an estimate learns from. */
    static final int ESTIMATE_RUNS = 10;
    private static final int PAGE = 100;

    private final RunStore runs;
    private final RunDispatch dispatch;
    private final RunUsageStore usage;
    private final AwsPrices prices;
    private final Clock clock;

    public RunCosts(RunStore runs, RunDispatch dispatch, RunUsageStore usage, AwsPrices prices, Clock clock) {
        this.runs = runs;
        this.dispatch = dispatch;
        this.usage = usage;
        this.prices = prices;
        this.clock = clock;
    }

    /** One calendar month of an installation's runs: how many started in it and what they cost. */
    public record Month(YearMonth month, int runs, CostEstimate cost) {
    }

    /**
     * Per month, newest first, this month included.
     *
     * @param complete false when the months held more than {@value #MAX_RUNS} runs and the oldest were not read
     */
    public record Months(List<Month> months, boolean complete, AwsPrices prices) {
    }

    /** The last {@code months} calendar months (1 to {@value #MAX_MONTHS}) of the installation's runs, by the month they started in. */
    public Months byMonth(UUID installationId, int months) {
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("months must be 1 to " + MAX_MONTHS);
        }
        YearMonth newest = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth oldest = newest.minusMonths(months - 1L);
        Map<YearMonth, List<UUID>> runIds = new LinkedHashMap<>();
        for (int i = 0; i < months; i++) {
            runIds.put(newest.minusMonths(i), new ArrayList<>());
        }
        int read = 0;
        boolean complete = true;
        String cursor = null;
        pages:
        do {
            RunStore.Page page = runs.history(installationId, PAGE, cursor);
            for (Run run : page.runs()) {
                YearMonth month = YearMonth.from(run.createdAt().atZone(ZoneOffset.UTC));
                if (month.isBefore(oldest)) {
                    break pages;
                }
                if (read == MAX_RUNS) {
                    complete = false;
                    break pages;
                }
                runIds.computeIfPresent(month, (m, ids) -> {
                    ids.add(run.id());
                    return ids;
                });
                read++;
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        Map<UUID, RunUsage> used = usage.findAll(runIds.values().stream().flatMap(List::stream).toList());
        List<Month> result = new ArrayList<>();
        runIds.forEach((month, ids) -> result.add(new Month(month, ids.size(),
                CostEstimate.of(ids.stream().map(used::get).reduce(RunUsage.none(), RunUsage::plus), prices))));
        return new Months(result, complete, prices);
    }

    /**
     * What sending {@code entries} entries would cost this installation, from what its last runs that sent
     * something cost per planned entry (the fixed part of a run included); empty before any such run ended.
     */
    public Optional<CostEstimate> estimate(UUID installationId, long entries) {
        List<Run> recent = runs.history(installationId, PAGE, null).runs().stream()
                .filter(run -> run.status().isTerminal())
                .limit(ESTIMATE_RUNS)
                .toList();
        Map<UUID, RunUsage> used = usage.findAll(recent.stream().map(Run::id).toList());
        RunUsage total = RunUsage.none();
        long planned = 0;
        for (Run run : recent) {
            long runPlanned = dispatch.counts(run.id()).values().stream().mapToLong(PhaseCounts::planned).sum();
            if (runPlanned > 0) {
                total = total.plus(used.get(run.id()));
                planned += runPlanned;
            }
        }
        if (planned == 0) {
            return Optional.empty();
        }
        return Optional.of(CostEstimate.of(total.scaled((double) entries / planned), prices));
    }
}
