package dev.syncline.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the endpoint of a request by method and path template ({@code /v1/apps/{app_id}}): a template segment
 * in braces matches any one non-empty path segment and names it. Tells "no such path" (404) from "no such
 * method on this path" (405, with the methods that exist).
 */
final class Router {

    /** Handles one route's requests. */
    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request, Map<String, String> pathParameters);
    }

    /** The outcome of routing one request. */
    sealed interface Match {
        /** A route matched; {@code template} names it in logs. */
        record Found(String template, Endpoint endpoint, Map<String, String> pathParameters) implements Match {
        }

        /** The path exists, but not with this method. */
        record MethodNotAllowed(String template, Set<String> allowed) implements Match {
        }

        /** No route has this path. */
        record NotFound() implements Match {
        }
    }

    private record Route(String method, String template, List<String> segments, Endpoint endpoint) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, segments(template), Objects.requireNonNull(endpoint, "endpoint")));
        return this;
    }

    Match route(String method, String path) {
        List<String> segments = segments(path);
        Set<String> allowed = new LinkedHashSet<>();
        String template = null;
        for (Route route : routes) {
            Map<String, String> parameters = match(route.segments(), segments);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match.Found(route.template(), route.endpoint(), parameters);
            }
            allowed.add(route.method());
            template = route.template();
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(template, allowed);
    }

    /** Every route as "METHOD template", for messages that say what exists. */
    List<String> describe() {
        return routes.stream().map(route -> route.method() + " " + route.template()).toList();
    }

    private static Map<String, String> match(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                parameters.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return parameters;
    }

    // "/v1/apps/x" -> [v1, apps, x]; a trailing slash leaves an empty last segment, which matches nothing.
    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return List.of(trimmed.split("/", -1));
    }
}
