package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code /_sample/*}: what tests and the local stack use to look inside the sample App and to make it misbehave.
 * Not part of the Apps protocol, never faulted and never recorded.
 */
final class AdminEndpoint {

    static final String PREFIX = "/_sample/";

    private final SampleApp app;

    AdminEndpoint(SampleApp app) {
        this.app = app;
    }

    HttpReply handle(Call call) {
        String route = call.path().substring(PREFIX.length());
        String method = call.method();
        if (route.equals("health")) {
            return only(method, "GET", () -> HttpReply.json(200, Json.object().put("status", "ok")));
        }
        if (route.equals("requests")) {
            return only(method, "GET", () -> requests(call.rawQuery()));
        }
        if (route.equals("reset")) {
            return only(method, "POST", () -> {
                app.reset();
                return HttpReply.noContent();
            });
        }
        if (route.equals("faults")) {
            return switch (method) {
                case "GET" -> HttpReply.json(200, app.faults().toJson());
                case "PUT" -> setFaults(call);
                default -> notAllowed("GET, PUT");
            };
        }
        if (route.startsWith("catalog/")) {
            String installationId = route.substring("catalog/".length());
            return only(method, "GET", () -> app.catalog(installationId)
                    .map(catalog -> HttpReply.json(200, catalog))
                    .orElseGet(() -> unknownInstallation(installationId)));
        }
        if (route.startsWith("feed/")) {
            String installationId = route.substring("feed/".length());
            return only(method, "GET", () -> app.productFeed(installationId)
                    .map(HttpReply::csv)
                    .orElseGet(() -> unknownInstallation(installationId)));
        }
        return HttpReply.error(404, "not_found", "no such sample App endpoint: " + call.path());
    }

    private HttpReply setFaults(Call call) {
        if (!call.bodyIsJson()) {
            return HttpReply.error(400, "invalid_request", "the body is not JSON");
        }
        try {
            app.setFaults(Faults.fromJson(call.body()));
        } catch (IllegalArgumentException e) {
            return HttpReply.error(400, "invalid_faults", e.getMessage());
        }
        return HttpReply.json(200, app.faults().toJson());
    }

    /** {@code ?event=...&installation=...&outcome=...&resource=...}, all optional, all must match. */
    private HttpReply requests(String rawQuery) {
        Map<String, String> query = query(rawQuery);
        Predicate<ReceivedRequest> filter = request -> true;
        String event = query.get("event");
        if (event != null) {
            filter = filter.and(request -> event.equals(request.event()));
        }
        String installation = query.get("installation");
        if (installation != null) {
            filter = filter.and(request -> request.installationId().filter(installation::equals).isPresent());
        }
        String resource = query.get("resource");
        if (resource != null) {
            filter = filter.and(request -> request.resourceId().filter(resource::equals).isPresent());
        }
        String outcome = query.get("outcome");
        if (outcome != null) {
            Outcome wanted;
            try {
                wanted = Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return HttpReply.error(400, "invalid_request", "outcome must be one of accepted, duplicate, "
                        + "rejected, faulted, invalid, failed");
            }
            filter = filter.and(request -> request.outcome() == wanted);
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        app.receivedRequests(filter).forEach(request -> list.add(request.toJson()));
        return HttpReply.json(200, list);
    }

    private static Map<String, String> query(String rawQuery) {
        var parameters = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static HttpReply unknownInstallation(String installationId) {
        return HttpReply.error(404, "unknown_installation", "no handshake received for '" + installationId + "'");
    }

    private static HttpReply only(String method, String allowed, Supplier<HttpReply> action) {
        return Objects.equals(method, allowed) ? action.get() : notAllowed(allowed);
    }

    static HttpReply notAllowed(String allowed) {
        return HttpReply.error(405, "method_not_allowed", "allowed: " + allowed).withHeader("Allow", allowed);
    }
}
