package dev.syncline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /v1/openapi.json}: the API's contract, {@code docs/openapi.yaml} as JSON, without an API key. The YAML
 * is in the artifact (as {@code openapi/openapi.yaml}) and is converted on the first request only, so that a cold
 * start does not pay for it; the same document always comes out, since it is the same file.
 */
final class OpenApiEndpoint {

    static final String RESOURCE = "openapi/openapi.yaml";

    private volatile String document;

    /** {@code GET /v1/openapi.json}. */
    ApiResponse get(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, document()).withHeader("Cache-Control", "no-cache");
    }

    private String document() {
        String json = document;
        if (json == null) {
            json = toJson(OpenApiEndpoint.class.getClassLoader());
            document = json;
        }
        return json;
    }

    static String toJson(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the api artifact lacks " + RESOURCE);
            }
            return new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
