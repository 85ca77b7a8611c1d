package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's contract, {@code docs/openapi.yaml}: a valid OpenAPI 3.1 document whose examples keep its own schemas,
 * naming every route the api function serves and no other, and served as {@code GET /v1/openapi.json} without an API
 * key. That the answers keep it is checked where they are replayed: {@link ApiDocumentationTest} and the local
 * stack's {@code SynchronizationDocumentationTest}.
 */
@AwsIntegrationTest
class OpenApiDocumentTest {

    private static final Path DOCUMENT = OpenApiContract.repositoryDocument();

    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) {
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void servedContract_isTheDocumentAsJson_withoutAnApiKey() throws IOException {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/openapi.json", Map.of(), null));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonNode served = new ObjectMapper().readTree(response.body());
        assertThat(served).isEqualTo(OpenApiContract.parse(yaml()).document());
        assertThat(served.path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void dashboard_linksToTheContract_whichOpensWithoutSigningIn() {
        TestDeployment.Response page = api.send(TestDeployment.event("GET", "/", Map.of(), null));
        Matcher link = Pattern.compile("<a [^>]*id=\"api-reference\"[^>]*href=\"([^\"]+)\"").matcher(page.body());

        assertThat(link.find()).as("the dashboard's API reference link in%n%s", page.body()).isTrue();
        String target = URI.create("https://abc123.execute-api.eu-central-1.amazonaws.com/").resolve(link.group(1)).getPath();
        assertThat(target).isEqualTo("/v1/openapi.json");
        assertThat(api.send(TestDeployment.event("GET", target, Map.of(), null)).status()).isEqualTo(200);
    }

    @Test
    void document_isAValidOpenApi31Document() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml(), null, options);

        assertThat(result.getMessages()).as("what the OpenAPI parser finds wrong in " + DOCUMENT).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
        assertThat(OpenApiContract.parse(yaml()).exampleViolations()).as("examples of " + DOCUMENT + " that break their schema")
                .isEmpty();
    }

    @Test
    void everyRouteOfTheApi_isDocumented_andNoOther() {
        Set<String> served = new TreeSet<>(api.routes());
        Set<String> documented = OpenApiContract.parse(yaml()).operations();

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertThat(undocumented).as("routes of Api.java that %s does not document: add each under paths", DOCUMENT).isEmpty();
        assertThat(unserved).as("operations of %s that Api.java does not serve", DOCUMENT).isEmpty();
        assertThat(served).hasSizeGreaterThanOrEqualTo(22);
    }

    static String yaml() {
        try {
            return Files.readString(DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
