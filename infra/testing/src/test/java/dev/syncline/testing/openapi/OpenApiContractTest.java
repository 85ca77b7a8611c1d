package dev.syncline.testing.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the documentation tests rely on: {@link OpenApiContract} refuses, naming operation, route, status and field,
 * each way an answer can drift from {@code docs/openapi.yaml}, and accepts an answer that keeps it.
 */
class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.ofRepository();
    private static final String RUN_ID = "2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e7f";
    private static final String RUN = """
            {"id": "2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e7f", "installation_id": "3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f",
             "mode": "full", "snapshot_id": "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70", "status": "cancelled", "reason": null,
             "current_phase": null, "progress_percent": 100,
             "phases": {"attributes": %1$s, "categories": %1$s, "products": %1$s, "relations": %1$s},
             "totals": %1$s, "rejected_lines": 1, "created_at": "2026-03-05T10:00:12.000Z",
             "updated_at": "2026-03-05T10:00:14.500Z", "ended_at": "2026-03-05T10:00:14.500Z", "duration_ms": 2500,
             "url": "/v1/synchronizations/2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e7f"%2$s}"""
            .formatted("{\"planned\": 1, \"succeeded\": 1, \"failed\": 0, \"cancelled\": 0}", "%s");

    @Test
    void anAnswerThatKeepsTheDocument_hasNoViolations() {
        assertThat(CONTRACT.violations(getRun(200, RUN.formatted("")))).isEmpty();
    }

    @Test
    void aRouteTheDocumentLacks_isNamedWithWhereToAddIt() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/widgets", 200, "{}")))
                .containsExactly("GET /v1/widgets: undocumented route: no path of the document matches /v1/widgets (answered 200);"
                        + " add it under paths");
    }

    @Test
    void aMethodTheDocumentLacks_isNamedWithItsPathTemplate() {
        assertThat(CONTRACT.violations(exchange("PUT", "/v1/synchronizations/" + RUN_ID, 200, RUN.formatted(""))))
                .containsExactly("PUT /v1/synchronizations/" + RUN_ID + ": undocumented operation PUT /v1/synchronizations/{synchronization_id}"
                        + " (answered 200); add paths['/v1/synchronizations/{synchronization_id}'].put");
    }

    @Test
    void aStatusTheOperationLacks_isNamed() {
        assertThat(CONTRACT.violations(getRun(418, "")))
                .singleElement().asString()
                .startsWith("getSynchronization (GET /v1/synchronizations/{synchronization_id}): undocumented status 418; documented: [200, 401,");
    }

    @Test
    void aFieldTheSchemaLacks_isNamedWithTheSchemaToAddItTo() {
        assertThat(CONTRACT.violations(getRun(200, RUN.formatted(", \"schedule\": \"daily\""))))
                .containsExactly("getSynchronization (GET /v1/synchronizations/{synchronization_id}) → 200 response body:"
                        + " undocumented field '/schedule' (add it to #/components/schemas/Run)");
    }

    @Test
    void aValueOfTheWrongType_andAMissingField_areNamedByTheirPath() {
        String answer = RUN.formatted("").replace("\"rejected_lines\": 1", "\"rejected_lines\": \"1\"")
                .replace("\"duration_ms\": 2500,", "");

        assertThat(CONTRACT.violations(getRun(200, answer)))
                .anySatisfy(violation -> assertThat(violation).contains("/rejected_lines").contains("string found, integer expected"))
                .anySatisfy(violation -> assertThat(violation).contains("required property 'duration_ms' not found"))
                .hasSize(2);
    }

    @Test
    void aQueryParameterTheOperationLacks_isNamed() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/synchronizations/" + RUN_ID + "?verbose=true", 200, RUN.formatted(""))))
                .containsExactly("getSynchronization (GET /v1/synchronizations/{synchronization_id}): undocumented query parameter 'verbose';"
                        + " add it to parameters");
    }

    @Test
    void aProblemAnswer_isCheckedAgainstTheProblemSchema() {
        String problem = """
                {"type": "https://syncline.dev/problems/not-found", "title": "Not found", "status": 404, "detail": "No such run.",
                 "instance": "/v1/synchronizations/x", "request_id": "r-1", "hint": "try again"}""";

        assertThat(CONTRACT.violations(new OpenApiContract.Exchange("GET", "/v1/synchronizations/x", Map.of(), null, 404,
                Map.of("Content-Type", "application/problem+json", "X-Request-Id", "r-1"), problem)))
                .containsExactly("getSynchronization (GET /v1/synchronizations/{synchronization_id}) → 404 response body:"
                        + " undocumented field '/hint' (add it to #/components/schemas/Problem)");
    }

    @Test
    void theDocumentsOwnExamples_keepItsSchemas() {
        assertThat(CONTRACT.exampleViolations()).isEmpty();
        assertThat(CONTRACT.operations()).contains("GET /v1/openapi.json", "GET /feeds/{feed_token}", "HEAD /feeds/{feed_token}", "GET /");
    }

    private static OpenApiContract.Exchange getRun(int status, String body) {
        return exchange("GET", "/v1/synchronizations/" + RUN_ID, status, body);
    }

    private static OpenApiContract.Exchange exchange(String method, String target, int status, String body) {
        return new OpenApiContract.Exchange(method, target, Map.of("Authorization", "Bearer key"), null, status,
                Map.of("Content-Type", "application/json", "X-Request-Id", "r-1"), body);
    }
}
