package dev.syncline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response, before it is encoded for API Gateway.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body JSON text, {@code ""} for none
 */
record ApiResponse(int status, Map<String, String> headers, String body) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", JSON), body);
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }

    APIGatewayV2HTTPResponse toEvent() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
