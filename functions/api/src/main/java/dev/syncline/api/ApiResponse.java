package dev.syncline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response, before it is encoded for API Gateway.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body JSON text, {@code ""} for none; base64 of the bytes when {@code base64Encoded}
 * @param base64Encoded whether {@code body} is base64 of binary content (a file), as API Gateway expects it
 */
record ApiResponse(int status, Map<String, String> headers, String body, boolean base64Encoded) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    ApiResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, false);
    }

    /** Binary content, sent base64-encoded through API Gateway. */
    static ApiResponse binary(int status, Map<String, String> headers, byte[] content) {
        return new ApiResponse(status, headers, java.util.Base64.getEncoder().encodeToString(content), true);
    }

    static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", JSON), body);
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body, base64Encoded);
    }

    APIGatewayV2HTTPResponse toEvent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(base64Encoded)
                .build();
    }
}
