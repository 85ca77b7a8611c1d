package dev.syncline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One HTTP request as the API sees it, decoded from API Gateway's payload format 2.0.
 *
 * @param method upper case
 * @param path the path below the stage, e.g. {@code /v1/apps/shop-export}
 * @param query query string parameters (API Gateway joins repeated ones with commas)
 * @param headers header values by lower-case name
 * @param body the body as text, {@code ""} when there is none
 * @param requestId API Gateway's request id, also in its access logs; a fresh one when absent
 * @param caller who sent it, as its credential says: {@link Caller.Anonymous} until authenticated
 * @param reads the installations and runs this request read, each read once: its own, never another request's
 */
record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers, String body,
                  String requestId, Caller caller, RequestReads reads) {

    ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Map<String, String> lowerCase = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
        headers = Map.copyOf(lowerCase);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(reads, "reads");
    }

    static ApiRequest from(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
        String body = event.getBody() == null ? "" : event.getBody();
        if (event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        String requestId = context != null && context.getRequestId() != null
                ? context.getRequestId()
                : UUID.randomUUID().toString();
        return new ApiRequest(
                method.toUpperCase(Locale.ROOT),
                pathBelowStage(event.getRawPath(), context == null ? null : context.getStage()),
                orEmpty(event.getQueryStringParameters()),
                orEmpty(event.getHeaders()),
                body,
                requestId,
                Caller.ANONYMOUS,
                RequestReads.none());
    }

    /** This request as sent by {@code authenticated}. */
    ApiRequest withCaller(Caller authenticated) {
        return new ApiRequest(method, path, query, headers, body, requestId, authenticated, reads);
    }

    /** This request, reading its installations and runs through {@code fresh}. */
    ApiRequest withReads(RequestReads fresh) {
        return new ApiRequest(method, path, query, headers, body, requestId, caller, fresh);
    }

    // With a named stage the raw path starts with it ("/prod/v1/apps"); with $default it does not.
    private static String pathBelowStage(String rawPath, String stage) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (stage != null && !stage.equals("$default") && path.startsWith("/" + stage + "/")) {
            return path.substring(stage.length() + 1);
        }
        return path;
    }

    private static Map<String, String> orEmpty(Map<String, String> values) {
        return values == null ? Map.of() : values;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Scheme and host the caller reached: API Gateway says the scheme in {@code X-Forwarded-Proto}. */
    String origin() {
        String host = header("Host").orElse("localhost");
        String scheme = header("X-Forwarded-Proto")
                .orElse(host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http" : "https");
        return scheme + "://" + host;
    }

    Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }
}
