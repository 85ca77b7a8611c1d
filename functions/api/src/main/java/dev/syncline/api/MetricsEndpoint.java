package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.MetricsFile;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/metrics}: the figures the functions emitted, as the local stack keeps them (the metric lines the
 * functions also write to standard output, appended to a file). On AWS the same lines go to CloudWatch, whose
 * dashboard shows them; there the route answers 404 and says so.
 */
final class MetricsEndpoint {

    private final Optional<MetricsFile> file;
    private final JsonCodec json;

    MetricsEndpoint(Optional<MetricsFile> file, JsonCodec json) {
        this.file = file;
        this.json = json;
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID installation = request.queryParameter("installation_id").filter(id -> !id.isBlank()).map(Ids::installation).orElse(null);
        UUID run = request.queryParameter("synchronization_id").filter(id -> !id.isBlank()).map(Ids::synchronization).orElse(null);
        MetricsFile metrics = file.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "GET /v1/metrics serves the local stack's figures only. On AWS the functions' metrics are in CloudWatch:"
                        + " open the stack output OperationsDashboardUrl (docs/operations.md, Metrics)."));
        return ApiResponse.json(200, json.write(MetricsSummary.of(metrics.lastLines(), json, installation, run)));
    }
}
