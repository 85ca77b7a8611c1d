package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the examples of {@code docs/api.md}, in order, against the api function and the sample App, so that the
 * documentation shows what Syncline answers. Each {@code ```http} request block is followed by its response block.
 * Ids and times differ from run to run: a UUID in an answer stands for whatever id came (and for the same id
 * wherever it appears again), an ISO time for any time, a request id for any. The App's URL in the examples
 * stands for the sample App's. An HTML comment {@code <!-- replay: ... -->} before a request sets up the App.
 * Every request and answer must also keep the API's contract, {@code docs/openapi.yaml} ({@link OpenApiContract}).
 */
@AwsIntegrationTest
class ApiDocumentationTest {

    private static final String DOCUMENT = "docs/api.md";
    private static final String DOCUMENTED_APP_URL = "https://shop-export.example.com";
    private static final Pattern BLOCK = Pattern.compile("(?:<!-- replay: (.+?) -->\\s*)?```http\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Map<String, Faults> SETUPS = Map.of(
            "the App answers the handshake with 503",
            Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));

    /** One request of the document and the response it shows, with the line it starts on. */
    record Example(int line, String setup, String request, String response) {
    }

    private SampleApp app;
    private TestDeployment api;
    private final Map<String, String> ids = new HashMap<>();

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        // The examples run where the App lives next to the engine, as on the local stack.
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void everyExampleOfTheApiDocumentation_isWhatTheApiAnswers() throws IOException {
        List<Example> examples = examples(read());
        assertThat(examples).as("examples in " + DOCUMENT).hasSizeGreaterThanOrEqualTo(10);

        OpenApiContract contract = OpenApiContract.parse(OpenApiDocumentTest.yaml());
        List<String> outsideContract = new ArrayList<>();
        Set<Integer> statuses = new TreeSet<>();
        for (Example example : examples) {
            APIGatewayV2HTTPEvent request = request(example);
            TestDeployment.Response actual = api.send(request);
            statuses.add(actual.status());
            contract.violations(new OpenApiContract.Exchange(request.getRequestContext().getHttp().getMethod(),
                            request.getRawQueryString().isEmpty() ? request.getRawPath() : request.getRawPath() + "?" + request.getRawQueryString(),
                            request.getHeaders(), request.getBody(), actual.status(), actual.headers(), actual.body()))
                    .forEach(violation -> outsideContract.add(DOCUMENT + " line " + example.line() + ": " + violation));
            List<String> differences = differences(example.response(), actual);
            assertThat(differences)
                    .as("%s line %d: the documented response differs from the answer%n%s%n%s", DOCUMENT,
                            example.line(), actual.status(), pretty(actual.body()))
                    .isEmpty();
        }
        assertThat(statuses).contains(200, 201, 401, 409, 422, 502);
        assertThat(outsideContract).as("requests and answers that docs/openapi.yaml does not describe").isEmpty();
    }

    private APIGatewayV2HTTPEvent request(Example example) {
        if (example.setup() != null) {
            app.setFaults(Objects.requireNonNull(SETUPS.get(example.setup()), "unknown setup: " + example.setup()));
        } else {
            app.setFaults(Faults.none());
        }
        String[] headAndBody = example.request().split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":\\s*", 2);
            headers.put(header[0].toLowerCase(), header[1].replace("<api key>", TestDeployment.API_KEY));
        }
        String body = headAndBody.length > 1 ? toActual(headAndBody[1]) : null;
        return TestDeployment.event(requestLine[0], toActual(requestLine[1]), headers, body);
    }

    private List<String> differences(String documented, TestDeployment.Response actual) {
        List<String> differences = new ArrayList<>();
        String[] headAndBody = documented.split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status != actual.status()) {
            differences.add("status: documented " + status + ", answered " + actual.status());
            return differences;
        }
        if (headAndBody.length > 1) {
            compare("body", TestDeployment.JSON.readTree(headAndBody[1]), TestDeployment.JSON.readTree(actual.body()),
                    differences);
        }
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":\\s*", 2);
            String expected = toActual(header[1]);
            if (!expected.equals(actual.header(header[0]))) {
                differences.add("header " + header[0] + ": documented " + expected + ", answered "
                        + actual.header(header[0]));
            }
        }
        return differences;
    }

    private void compare(String path, JsonNode documented, JsonNode actual, List<String> differences) {
        if (documented.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": documented an object, answered " + actual);
                return;
            }
            Set<String> documentedFields = fieldNames(documented);
            Set<String> actualFields = fieldNames(actual);
            if (!documentedFields.equals(actualFields)) {
                differences.add(path + ": documented fields " + documentedFields + ", answered " + actualFields);
            }
            documentedFields.stream().filter(actualFields::contains)
                    .forEach(name -> compare(path + "." + name, documented.get(name), actual.get(name), differences));
        } else if (documented.isArray()) {
            if (!actual.isArray() || actual.size() != documented.size()) {
                differences.add(path + ": documented " + documented + ", answered " + actual);
                return;
            }
            for (int i = 0; i < documented.size(); i++) {
                compare(path + "[" + i + "]", documented.get(i), actual.get(i), differences);
            }
        } else if (documented.isTextual()) {
            compareText(path, documented.asText(), actual, differences);
        } else if (!documented.equals(actual)) {
            differences.add(path + ": documented " + documented + ", answered " + actual);
        }
    }

    private void compareText(String path, String documented, JsonNode actual, List<String> differences) {
        if (!actual.isTextual()) {
            differences.add(path + ": documented \"" + documented + "\", answered " + actual);
            return;
        }
        String answered = actual.asText();
        if (path.endsWith(".request_id")) {
            return;
        }
        if (INSTANT.matcher(documented).matches()) {
            try {
                Instant.parse(answered);
            } catch (DateTimeParseException e) {
                differences.add(path + ": documented a time, answered " + answered);
            }
            return;
        }
        if (UUID_TEXT.matcher(documented).matches() && !ids.containsKey(documented)
                && UUID_TEXT.matcher(answered).matches()) {
            ids.put(documented, answered);
        }
        String expected = toActual(documented);
        if (!expected.equals(answered)) {
            differences.add(path + ": documented \"" + expected + "\", answered \"" + answered + "\"");
        }
    }

    /** The documented text with the ids seen so far and the sample App's URL in place of the documented ones. */
    private String toActual(String documented) {
        String text = documented.replace(DOCUMENTED_APP_URL, app.baseUri().toString());
        for (Map.Entry<String, String> id : ids.entrySet()) {
            text = text.replace(id.getKey(), id.getValue());
        }
        return text;
    }

    static List<Example> examples(String markdown) {
        List<Example> examples = new ArrayList<>();
        Matcher block = BLOCK.matcher(markdown);
        while (block.find()) {
            String setup = block.group(1);
            String request = block.group(2);
            int line = markdown.substring(0, block.start(2)).split("\n", -1).length;
            if (request.startsWith("HTTP/")) {
                throw new AssertionError(DOCUMENT + " line " + line + ": a response without a request before it");
            }
            if (!block.find() || !block.group(2).startsWith("HTTP/")) {
                throw new AssertionError(DOCUMENT + " line " + line + ": a request without a response after it");
            }
            examples.add(new Example(line, setup, request, block.group(2)));
        }
        return examples;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String pretty(String body) {
        return body == null || body.isEmpty() ? "(no body)" : TestDeployment.JSON.readTree(body).toPrettyString();
    }

    private String read() throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getClassLoader().getResourceAsStream(DOCUMENT),
                DOCUMENT + " is not on the test classpath")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
