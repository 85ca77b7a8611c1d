package dev.syncline.api;

import dev.syncline.adapters.json.CostView;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.cost.RunCosts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code GET /v1/installations/{id}/costs}: what an installation's runs cost, per calendar month. */
final class CostsEndpoint {

    static final int DEFAULT_MONTHS = 6;

    private final Services services;
    private final JsonCodec json;

    CostsEndpoint(Services services, JsonCodec json) {
        this.services = services;
        this.json = json;
    }

    /**
     * Per month, newest first.
     *
     * @param complete false when the months held more runs than one answer reads; the oldest are then missing
     */
    record Costs(String installationId, String pricesAsOf, boolean complete, List<MonthView> months) {
    }

    /**
     * One calendar month (UTC) of runs, by the month they were triggered in.
     *
     * @param month {@code YYYY-MM}
     * @param cost what they used and cost, added up
     */
    record MonthView(String month, int runs, CostView cost) {
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        request.reads().installation(installation);
        RunCosts.Months months = services.runCosts().byMonth(installation, months(request.queryParameter("months")));
        return ApiResponse.json(200, json.write(new Costs(installation.toString(), months.prices().asOf().toString(), months.complete(),
                months.months().stream()
                        .map(month -> new MonthView(month.month().toString(), month.runs(), CostView.of(month.cost())))
                        .toList())));
    }

    private static int months(Optional<String> text) {
        if (text.isEmpty()) {
            return DEFAULT_MONTHS;
        }
        try {
            int months = Integer.parseInt(text.get());
            if (months >= 1 && months <= RunCosts.MAX_MONTHS) {
                return months;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new SynclineException.Invalid("query", List.of(new SynclineException.Violation("months",
                "months must be a whole number from 1 to " + RunCosts.MAX_MONTHS + "; got " + SynclineException.quote(text.get()))));
    }
}
