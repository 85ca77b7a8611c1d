package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.UUID;
import java.util.function.UnaryOperator;
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
 *
 * {@code <tenant key>} in a request stands for the tenant key the session issued last; an issued key's {@code key} in
 * an answer for any key of that form, and its {@code key_id} for whatever id came (and for the same id wherever it
 * appears again, in a prefix or a path).
 *
 * {@code <app token>} in a request stands for a token the App signs for the installation the session made last, and
 * {@code <expired app token>} for one that expired ten minutes ago; a JWT time ({@code iat}, {@code nbf},
 * {@code exp}) in an answer for any whole number of seconds, and a webhook's {@code signing_secret} for any new secret. A {@code ```sh} curl example must send what the
 * request example after it sends.
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
    private static final Pattern CURL = Pattern.compile(
            // A curl block never reaches past its own fence: a shell block with no request example after it is not one.
            "```sh\n(curl (?:(?!```).)*?)\n```\\s*(?:[^`\\s][^\n]*\n\\s*)?```http\n(.*?)\n```",
            Pattern.DOTALL);
    private static final Pattern TENANT_KEY = Pattern.compile("sl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{12}");
    private static final Set<String> JWT_TIMES = Set.of("iat", "nbf", "exp");
    private static final Map<String, Faults> SETUPS = Map.of(
            "the App answers the handshake with 503",
            Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));

    /** One request of the document and the response it shows, with the line it starts on. */
    record Example(int line, String setup, String request, String response) {
    }

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private final Map<String, String> ids = new HashMap<>();
    private UUID lastInstallation;
    private String lastTenantKey = "(no tenant key issued yet)";

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
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
            if (request.getRequestContext().getHttp().getMethod().equals("POST") && request.getRawPath().equals("/v1/installations")
                    && actual.status() == 201) {
                lastInstallation = UUID.fromString(actual.json().path("id").asText());
            }
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

    @Test
    void everyCurlExample_sendsWhatTheRequestExampleAfterItSends() throws IOException {
        String markdown = read();
        Matcher curl = CURL.matcher(markdown);
        int checked = 0;
        while (curl.find()) {
            checked++;
            Curl command = Curl.parse(curl.group(1));
            String[] headAndBody = curl.group(2).split("\n\n", 2);
            String[] lines = headAndBody[0].split("\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] header = lines[i].split(":\\s*", 2);
                headers.put(header[0].toLowerCase(), header[1]);
            }
            assertThat(command.method()).as("curl method").isEqualTo(requestLine[0]);
            assertThat(command.path()).as("curl path").isEqualTo(requestLine[1]);
            assertThat(command.headers()).as("curl headers").isEqualTo(headers);
            assertThat(TestDeployment.JSON.readTree(command.body())).as("curl body")
                    .isEqualTo(TestDeployment.JSON.readTree(headAndBody[1]));
        }
        assertThat(checked).as("curl examples in " + DOCUMENT).isGreaterThanOrEqualTo(1);
    }

    /**
     * A documented curl command: {@code $SYNCLINE_URL} is the base URL, {@code $SYNCLINE_API_KEY} the API key and
     * {@code $APP_TOKEN} the App's token, as the request examples write them.
     */
    record Curl(String method, String path, Map<String, String> headers, String body) {

        static Curl parse(String command) {
            List<String> words = words(command.replace("\\\n", " ")
                    .replace("$SYNCLINE_API_KEY", "<api key>").replace("$APP_TOKEN", "<app token>"));
            String method = "GET";
            String url = null;
            String body = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < words.size(); i++) {
                String word = words.get(i);
                switch (word) {
                    case "-sS" -> { }
                    case "-X" -> method = words.get(++i);
                    case "-H" -> {
                        String[] header = words.get(++i).split(":\\s*", 2);
                        headers.put(header[0].toLowerCase(), header[1]);
                    }
                    case "-d" -> body = words.get(++i);
                    default -> url = word;
                }
            }
            if (url == null || !url.startsWith("$SYNCLINE_URL/")) {
                throw new AssertionError("a curl example must call $SYNCLINE_URL/...: " + command);
            }
            return new Curl(method, url.substring("$SYNCLINE_URL".length()), headers, body);
        }

        /** Shell words: quoted with ' or " (where \" is a quote), or separated by spaces. */
        private static List<String> words(String command) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            for (int i = 0; i < command.length(); i++) {
                char c = command.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (quote == '"' && c == '\\' && i + 1 < command.length()) {
                        word.append(command.charAt(++i));
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    word = word == null ? new StringBuilder() : word;
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
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
            headers.put(header[0].toLowerCase(), header[1].replace("<api key>", TestDeployment.API_KEY)
                    .replace("<tenant key>", lastTenantKey));
        }
        String body = headAndBody.length > 1 ? withTokens(toActual(headAndBody[1])) : null;
        return TestDeployment.event(requestLine[0], toActual(requestLine[1]), headers, body);
    }

    /** The tokens the App would sign, for the installation the session made last. */
    private String withTokens(String body) {
        if (!body.contains("app token>")) {
            return body;
        }
        SharedSecret secret = TestDeployment.storedSecret(stack, lastInstallation);
        Instant now = Instant.now();
        return body
                .replace("<app token>", AppTokenVerificationTest.appToken(lastInstallation, secret, now,
                        UnaryOperator.identity()))
                .replace("<expired app token>", AppTokenVerificationTest.appToken(lastInstallation, secret,
                        now.minus(Duration.ofMinutes(15)), UnaryOperator.identity()));
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
        } else if (documented.isIntegralNumber() && JWT_TIMES.contains(path.substring(path.lastIndexOf('.') + 1))) {
            if (!actual.isIntegralNumber()) {
                differences.add(path + ": documented a JWT time in seconds, answered " + actual);
            }
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
        if (path.endsWith(".signing_secret")) {
            if (!answered.matches("[0-9a-f]{64}")) {
                differences.add(path + ": documented a signing secret (64 hex characters), answered \"" + answered + "\"");
            }
            return;
        }
        if (path.endsWith(".key") && TENANT_KEY.matcher(documented).matches()) {
            if (!TENANT_KEY.matcher(answered).matches()) {
                differences.add(path + ": documented a tenant key (sl_<key id>_<secret>), answered \"" + answered + "\"");
            }
            lastTenantKey = answered;
            return;
        }
        if (path.endsWith(".key_id") && KEY_ID.matcher(documented).matches() && !ids.containsKey(documented)
                && KEY_ID.matcher(answered).matches()) {
            ids.put(documented, answered);
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
        if (!INSTANT.matcher(expected).find() ? !expected.equals(answered) : !anyTimes(expected).matcher(answered).matches()) {
            differences.add(path + ": documented \"" + expected + "\", answered \"" + answered + "\"");
        }
    }

    /** The documented text as a pattern in which every ISO time stands for any time. */
    private static Pattern anyTimes(String documented) {
        StringBuilder pattern = new StringBuilder();
        Matcher time = INSTANT.matcher(documented);
        int from = 0;
        while (time.find()) {
            pattern.append(Pattern.quote(documented.substring(from, time.start()))).append(INSTANT.pattern());
            from = time.end();
        }
        return Pattern.compile(pattern.append(Pattern.quote(documented.substring(from))).toString());
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
