package dev.syncline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.crypto.AesGcmSecretVault;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsStack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The api function as deployed, against the emulators: configured from the environment a deployment gets, wired
 * by the same code as in Lambda, and driven with API Gateway payload format 2.0 events.
 */
final class TestDeployment implements AutoCloseable {

    /** The API key the tests send; the deployment knows only its digest. */
    static final String API_KEY = "sl_test_2b7e151628aed2a6abf7158809cf4f3c";
    /** The key that encrypts shared secrets in these tests (base64 of 32 bytes). */
    static final String SECRETS_KEY = "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=";

    static final JsonCodec JSON = JsonCodec.create();

    private final Services services;
    private final Api api;
    private final HandleApiRequestHandler handler;

    private TestDeployment(Map<String, String> environment) {
        this.services = Services.create(Config.from(environment), Clock.systemUTC());
        this.api = Api.create(services);
        this.handler = new HandleApiRequestHandler(api);
    }

    /** The wiring the functions share, for doing here what another function does (the worker promoting a file). */
    Services services() {
        return services;
    }

    /** A deployment that lets Apps live on this machine, as the local stack does. */
    static TestDeployment allowingLocalApps(AwsStack stack) {
        return start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "true"));
    }

    /** A deployment that calls Apps only at public addresses, as on AWS. */
    static TestDeployment publicAppsOnly(AwsStack stack) {
        return start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "false"));
    }

    static TestDeployment start(AwsStack stack, Map<String, String> overrides) {
        Map<String, String> environment = new HashMap<>(stack.environment());
        environment.put(Config.API_KEY_HASHES, sha256("another-key-of-this-deployment") + "," + sha256(API_KEY));
        environment.put(Config.SECRETS_LOCAL_KEY, SECRETS_KEY);
        environment.put(Config.APP_CONNECT_TIMEOUT_MS, "1000");
        environment.put(Config.APP_REQUEST_TIMEOUT_MS, "2000");
        environment.putAll(overrides);
        return new TestDeployment(environment);
    }

    /** The answer as API Gateway would pass it on. */
    record Response(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }
    }

    /** Every route the api function serves, as "METHOD template". */
    java.util.List<String> routes() {
        return api.routes();
    }

    Response send(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        return new Response(response.getStatusCode(), response.getHeaders(), response.getBody());
    }

    Response get(String pathAndQuery) {
        return send(event("GET", pathAndQuery, null));
    }

    Response put(String path, Object body) {
        return send(event("PUT", path, body));
    }

    Response post(String path, Object body) {
        return send(event("POST", path, body));
    }

    Response patch(String path, Object body) {
        return send(event("PATCH", path, body));
    }

    Response delete(String path) {
        return send(event("DELETE", path, null));
    }

    /** Registers {@code manifest} (a map or record, written as JSON) and fails unless it took effect. */
    JsonNode register(String appId, Object manifest) {
        Response response = put("/v1/apps/" + appId, manifest);
        if (response.status() != 201 && response.status() != 200) {
            throw new AssertionError("registering " + appId + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /**
     * Installs {@code appId} and, when its App has configuration steps, submits the sample App's example
     * configuration as a PIM would before the first run; fails unless each answered 2xx. Answers the install's
     * body with the installation's status after configuring.
     */
    JsonNode install(String appId) {
        Response response = post("/v1/installations", Map.of("app_id", appId, "name", "Shop DE",
                "api_url", "https://pim.example.com/api"));
        if (response.status() != 201) {
            throw new AssertionError("installing " + appId + " answered " + response.status() + ": " + response.body());
        }
        ObjectNode installed = (ObjectNode) response.json();
        if (installed.path("status").asText().equals("configuration_required")) {
            installed.put("status", configure(installed.path("id").asText()).path("status").asText());
        }
        return installed;
    }

    /**
     * A new API key of tenant {@code tenantId}, created (with the tenant, when it does not exist yet) through the API
     * with the operator's key; fails unless each step took effect.
     */
    String tenantKey(String tenantId) {
        Response tenant = get("/v1/tenants/" + tenantId);
        if (tenant.status() == 404) {
            Response created = post("/v1/tenants", Map.of("id", tenantId, "name", "Tenant " + tenantId));
            if (created.status() != 201) {
                throw new AssertionError("creating tenant " + tenantId + " answered " + created.status() + ": " + created.body());
            }
        } else if (tenant.status() != 200) {
            throw new AssertionError("reading tenant " + tenantId + " answered " + tenant.status() + ": " + tenant.body());
        }
        Response key = post("/v1/tenants/" + tenantId + "/api-keys", Map.of("name", "tests"));
        if (key.status() != 201) {
            throw new AssertionError("issuing a key of " + tenantId + " answered " + key.status() + ": " + key.body());
        }
        return key.json().path("key").asText();
    }

    /** Sends a request with {@code key} as the bearer token; {@code body} as in {@link #event(String, String, Object)}. */
    Response as(String key, String method, String pathAndQuery, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "Bearer " + key);
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        return send(event(method, pathAndQuery, headers, body == null ? null : body instanceof String text ? text : JSON.write(body)));
    }

    /** Submits the sample App's example configuration, step by step; fails unless each answered 200. */
    JsonNode configure(String installationId) {
        JsonNode installation = null;
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            Response step = post("/v1/installations/" + installationId + "/configuration", Map.of("index", index,
                    "configuration", JSON.readTree(SampleConfiguration.EXAMPLE.get(index))));
            if (step.status() != 200) {
                throw new AssertionError("configuration step " + index + " of " + installationId + " answered "
                        + step.status() + ": " + step.body());
            }
            installation = step.json();
        }
        return installation;
    }

    /**
     * An event as API Gateway sends it for an authenticated JSON request; {@code body} is written as JSON
     * unless it is a string, which is sent as is.
     */
    static APIGatewayV2HTTPEvent event(String method, String pathAndQuery, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "Bearer " + API_KEY);
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        return event(method, pathAndQuery, headers,
                body == null ? null : body instanceof String text ? text : JSON.write(body));
    }

    static APIGatewayV2HTTPEvent event(String method, String pathAndQuery, Map<String, String> headers, String body) {
        String path = pathAndQuery;
        String rawQuery = "";
        Map<String, String> query = null;
        int mark = pathAndQuery.indexOf('?');
        if (mark >= 0) {
            path = pathAndQuery.substring(0, mark);
            rawQuery = pathAndQuery.substring(mark + 1);
            query = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                String[] parts = pair.split("=", 2);
                query.merge(parts[0], parts.length > 1 ? parts[1] : "", (a, b) -> a + "," + b);
            }
        }
        Map<String, String> allHeaders = new LinkedHashMap<>();
        allHeaders.put("host", "abc123.execute-api.eu-central-1.amazonaws.com");
        allHeaders.put("user-agent", "pim/1.0");
        allHeaders.putAll(headers);
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(rawQuery)
                .withHeaders(allHeaders)
                .withQueryStringParameters(query)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("111122223333")
                        .withApiId("abc123")
                        .withDomainName("abc123.execute-api.eu-central-1.amazonaws.com")
                        .withDomainPrefix("abc123")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTime(DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
                                .withZone(ZoneOffset.UTC).format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("203.0.113.7")
                                .withUserAgent("pim/1.0")
                                .build())
                        .build())
                .build();
    }

    /** {@code value} (a map, a record) as the JSON tree the API would answer for it. */
    static JsonNode tree(Object value) {
        return JSON.readTree(JSON.write(value));
    }

    /** The installation's shared secret as stored, decrypted with the deployment's key: what the App received. */
    static SharedSecret storedSecret(AwsStack stack, UUID installation) {
        String ciphertext = stack.dynamoDb().getItem(b -> b.tableName(stack.names().table()).key(Map.of(
                        "pk", AttributeValue.fromS("INSTALLATION#" + installation),
                        "sk", AttributeValue.fromS("INSTALLATION"))))
                .item().get("secret").s();
        return AesGcmSecretVault.create(Base64.getDecoder().decode(SECRETS_KEY))
                .decrypt(new EncryptedSecret(ciphertext), installation);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
