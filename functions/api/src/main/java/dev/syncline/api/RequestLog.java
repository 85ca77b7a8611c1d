package dev.syncline.api;

import dev.syncline.adapters.wiring.FunctionLogging;
import dev.syncline.core.tenant.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per request, each of these a field of the JSON line: request id, method, route template, who asked
 * ({@code caller}: operator, tenant or anonymous, and a tenant's {@code tenant_id}), path parameters (the App and
 * installation ids to search by), status, latency, and the location of what was created. An operator's request that
 * read an installation carries that installation's {@code tenant_id}, and a run's route the {@code installation_id} of
 * the run it read: from what the request read anyway, never an extra read. Never a body, a header, a query
 * string or a token: bodies carry manifests and errors carry what Apps answered, and headers carry API keys.
 */
final class RequestLog {

    private static final Logger LOG = FunctionLogging.logger(RequestLog.class);

    RequestLog() {
    }

    void served(ApiRequest request, String route, Map<String, String> pathParameters, ApiResponse response,
                long latencyMillis) {
        Map<String, Object> line = line(request, route, pathParameters, response.status(), latencyMillis);
        // What a POST created, e.g. the new installation: the one id its path cannot name.
        String location = response.headers().get("Location");
        // A redirect's Location is a presigned URL: a credential, never logged.
        if (location != null && response.status() / 100 != 3) {
            line.put("location", location);
        }
        log(LOG.atInfo(), line);
    }

    /** A request that failed on a bug: the same line at error level, with the stack trace as one field. */
    void failed(ApiRequest request, String route, Map<String, String> pathParameters, long latencyMillis,
                RuntimeException bug) {
        Map<String, Object> line = line(request, route, pathParameters, 500, latencyMillis);
        line.put("error", bug.getClass().getName());
        // The stack trace becomes one field, so that the whole trace stays one log event.
        log(LOG.atError().setCause(bug), line);
    }

    private static void log(LoggingEventBuilder event, Map<String, Object> line) {
        line.forEach(event::addKeyValue);
        event.log();
    }

    private static Map<String, Object> line(ApiRequest request, String route, Map<String, String> pathParameters,
                                            int status, long latencyMillis) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "api_request");
        line.put("request_id", request.requestId());
        line.put("method", request.method());
        line.put("route", route);
        // Who asked: a tenant's requests are found by its id, the operator's by its role and the tenant it reached.
        Optional<TenantId> reached = request.reads().tenant();
        boolean own = true;
        switch (request.caller()) {
            case Caller.Tenant tenant -> {
                line.put("caller", "tenant");
                line.put("tenant_id", tenant.id().value());
                // What another tenant's id names stays out of this tenant's lines, as out of its answers.
                own = reached.equals(Optional.of(tenant.id()));
            }
            case Caller.Operator operator -> {
                line.put("caller", "operator");
                reached.ifPresent(tenant -> line.put("tenant_id", tenant.value()));
            }
            case Caller.Anonymous anonymous -> line.put("caller", "anonymous");
        }
        // A feed's token is its credential: logged only as redacted.
        pathParameters.forEach((name, value) -> line.put(name, name.equals("feed_token") ? "redacted" : value));
        if (own) {
            request.reads().installation().ifPresent(id -> line.putIfAbsent("installation_id", id.toString()));
        }
        line.put("status", status);
        line.put("latency_ms", latencyMillis);
        return line;
    }
}
