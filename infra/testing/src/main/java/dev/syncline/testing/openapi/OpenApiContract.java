package dev.syncline.testing.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import dev.syncline.testing.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's OpenAPI 3.1 document ({@code docs/openapi.yaml}) as a contract that a request and its answer either keep
 * or break. The documentation tests hand it every exchange they replay, so that the document cannot drift from the
 * code: an undocumented route, method, query parameter, status, media type or field, a missing required field or
 * header, and a value of the wrong type are each a violation, named with the operation, route, status and field.
 *
 * <p>Schemas are checked with a maintained JSON Schema 2020-12 validator in the OpenAPI 3.1 dialect. The check is
 * stricter than the document reads: every object schema is closed (as if it said {@code unevaluatedProperties:
 * false}), so that a field the code answers and the document does not name fails, while the document itself stays
 * open for clients (new fields may come). Requests are checked as far as the answer says they were right: a request
 * answered 4xx may be wrong on purpose (the documents show refused requests), so only its route and method are.
 */
public final class OpenApiContract {

    /** Where the document is in the repository. */
    public static final String DOCUMENT = "docs/openapi.yaml";
    private static final String DOCUMENT_URI = "https://syncline.dev/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "head", "patch", "options", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request and the answer it got, as a documentation test saw them. */
    public record Exchange(
            String method,
            String target,
            Map<String, String> requestHeaders,
            String requestBody,
            int status,
            Map<String, String> responseHeaders,
            String responseBody) {

        public Exchange {
            requestHeaders = lowerCase(requestHeaders);
            responseHeaders = lowerCase(responseHeaders);
        }
    }

    private final JsonNode document;
    private final SchemaRegistry schemas;

    private OpenApiContract(JsonNode document) {
        this.document = document;
        String strict = closed(document).toString();
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(DOCUMENT_URI, strict))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The repository's document, found from the working directory up (tests run in their module's folder). */
    public static OpenApiContract ofRepository() {
        return read(repositoryDocument());
    }

    /** The path of the repository's document. */
    public static Path repositoryDocument() {
        return RepositoryFiles.find(DOCUMENT);
    }

    /** Reads the document from its YAML file. */
    public static OpenApiContract read(Path yaml) {
        try {
            return parse(Files.readString(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the document from its YAML (or JSON) text. */
    public static OpenApiContract parse(String yaml) {
        try {
            return new OpenApiContract(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as read. */
    public JsonNode document() {
        return document;
    }

    /** Every operation of the document as "METHOD path". */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(method -> METHODS.contains(method.getKey()))
                .forEach(method -> operations.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return operations;
    }

    /** What of the exchange the document does not say; empty when it keeps the contract. */
    public List<String> violations(Exchange exchange) {
        List<String> violations = new ArrayList<>();
        String[] pathAndQuery = exchange.target().split("\\?", 2);
        String path = pathAndQuery[0];
        String method = exchange.method().toLowerCase(Locale.ROOT);
        String request = exchange.method() + " " + exchange.target();
        String template = template(path);
        if (template == null) {
            if (exchange.status() == 404) {
                checkResponse(request + " (no route)", "#/components/responses/NotFound", exchange, violations);
            } else {
                violations.add(request + ": undocumented route: no path of the document matches " + path
                        + " (answered " + exchange.status() + "); add it under paths");
            }
            return violations;
        }
        JsonNode operation = document.path("paths").path(template).path(method);
        if (operation.isMissingNode()) {
            if (exchange.status() == 405) {
                checkResponse(request + " (" + template + ")", "#/components/responses/MethodNotAllowed", exchange, violations);
            } else {
                violations.add(request + ": undocumented operation " + exchange.method() + " " + template + " (answered "
                        + exchange.status() + "); add paths['" + template + "']." + method);
            }
            return violations;
        }
        String operationPointer = "#/paths/" + escape(template) + "/" + method;
        String name = operation.path("operationId").asText(exchange.method() + " " + template) + " (" + exchange.method() + " "
                + template + ")";
        boolean accepted = exchange.status() >= 200 && exchange.status() < 400;
        checkParameters(name, template, method, path, pathAndQuery.length > 1 ? pathAndQuery[1] : "", accepted, violations);
        if (accepted) {
            checkRequestBody(name, operation, operationPointer, exchange, violations);
        }
        JsonNode responses = operation.path("responses");
        String status = Integer.toString(exchange.status());
        String key = responses.has(status) ? status
                : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            violations.add(name + ": undocumented status " + status + "; documented: " + fieldNames(responses)
                    + "; add responses['" + status + "']");
            return violations;
        }
        checkResponse(name + " → " + status, operationPointer + "/responses/" + escape(key), exchange, violations);
        return violations;
    }

    /** Examples of the document that break their own schema. */
    public List<String> exampleViolations() {
        List<String> violations = new ArrayList<>();
        collectExamples(document, "#", violations);
        return violations;
    }

    // ---- request ----------------------------------------------------------------------------------

    private void checkParameters(String name, String template, String method, String path, String query, boolean accepted,
            List<String> violations) {
        Map<String, String> pointers = new LinkedHashMap<>();
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        String pathPointer = "#/paths/" + escape(template);
        collectParameters(pathPointer + "/parameters", pointers, parameters);
        collectParameters(pathPointer + "/" + method + "/parameters", pointers, parameters);
        Map<String, String> actual = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                actual.put("query " + decode(nameAndValue[0]), nameAndValue.length > 1 ? decode(nameAndValue[1]) : "");
            }
        }
        String[] templateSegments = template.split("/", -1);
        String[] pathSegments = path.split("/", -1);
        for (int i = 0; i < templateSegments.length; i++) {
            if (templateSegments[i].startsWith("{")) {
                actual.put("path " + templateSegments[i].substring(1, templateSegments[i].length() - 1), decode(pathSegments[i]));
            }
        }
        for (Map.Entry<String, String> value : actual.entrySet()) {
            JsonNode parameter = parameters.get(value.getKey());
            if (parameter == null) {
                violations.add(name + ": undocumented " + value.getKey().replace(" ", " parameter '") + "'; add it to parameters");
            } else if (accepted) {
                JsonNode schema = parameter.path("schema");
                validate(name + " " + value.getKey().replace(" ", " parameter '") + "'", pointers.get(value.getKey()) + "/schema",
                        typed(value.getValue(), schema), violations);
            }
        }
        if (accepted) {
            parameters.forEach((key, parameter) -> {
                if (parameter.path("required").asBoolean() && !key.startsWith("header ") && !actual.containsKey(key)) {
                    violations.add(name + ": the required " + key.replace(" ", " parameter '") + "' was not sent");
                }
            });
        }
    }

    private void collectParameters(String pointer, Map<String, String> pointers, Map<String, JsonNode> parameters) {
        JsonNode list = at(pointer);
        for (int i = 0; i < list.size(); i++) {
            String itemPointer = pointer + "/" + i;
            JsonNode parameter = list.get(i);
            if (parameter.has("$ref")) {
                itemPointer = parameter.get("$ref").asText();
                parameter = at(itemPointer);
            }
            String key = parameter.path("in").asText() + " " + parameter.path("name").asText();
            pointers.put(key, itemPointer);
            parameters.put(key, parameter);
        }
    }

    private void checkRequestBody(String name, JsonNode operation, String operationPointer, Exchange exchange,
            List<String> violations) {
        JsonNode requestBody = operation.path("requestBody");
        String bodyPointer = operationPointer + "/requestBody";
        if (requestBody.has("$ref")) {
            bodyPointer = requestBody.get("$ref").asText();
            requestBody = at(bodyPointer);
        }
        String body = exchange.requestBody() == null ? "" : exchange.requestBody();
        if (body.isEmpty()) {
            if (requestBody.path("required").asBoolean()) {
                violations.add(name + ": the request has no body, but the document requires one");
            }
            return;
        }
        if (requestBody.isMissingNode()) {
            violations.add(name + ": undocumented request body; add requestBody");
            return;
        }
        String mediaType = mediaType(exchange.requestHeaders().get("content-type"));
        String documented = documentedMediaType(requestBody.path("content"), mediaType);
        if (documented == null) {
            violations.add(name + ": undocumented request media type '" + mediaType + "'; documented: "
                    + fieldNames(requestBody.path("content")));
        } else if (isJson(documented)) {
            validate(name + " request body", bodyPointer + "/content/" + escape(documented) + "/schema", read(body), violations);
        }
    }

    // ---- response ---------------------------------------------------------------------------------

    private void checkResponse(String name, String pointer, Exchange exchange, List<String> violations) {
        JsonNode response = at(pointer);
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText();
            response = at(pointer);
        }
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            String headerPointer = pointer + "/headers/" + escape(header.getKey());
            JsonNode definition = header.getValue();
            if (definition.has("$ref")) {
                headerPointer = definition.get("$ref").asText();
                definition = at(headerPointer);
            }
            String value = exchange.responseHeaders().get(header.getKey().toLowerCase(Locale.ROOT));
            if (value == null) {
                if (definition.path("required").asBoolean()) {
                    violations.add(name + ": the required header " + header.getKey() + " is missing");
                }
            } else {
                validate(name + " header " + header.getKey(), headerPointer + "/schema", TextNode.valueOf(value), violations);
            }
        }
        String body = exchange.responseBody() == null ? "" : exchange.responseBody();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                violations.add(name + ": undocumented response body (" + exchange.responseHeaders().get("content-type")
                        + "); add content to the response");
            }
            return;
        }
        String mediaType = mediaType(exchange.responseHeaders().get("content-type"));
        String documented = documentedMediaType(content, mediaType);
        if (documented == null) {
            violations.add(name + ": undocumented response media type '" + mediaType + "'; documented: " + fieldNames(content));
        } else if (isJson(documented)) {
            validate(name + " response body", pointer + "/content/" + escape(documented) + "/schema", read(body), violations);
        }
    }

    // ---- schemas ----------------------------------------------------------------------------------

    private void validate(String what, String pointer, JsonNode value, List<String> violations) {
        List<Error> errors = schemas.getSchema(SchemaLocation.of(DOCUMENT_URI + pointer)).validate(value);
        for (Error error : errors) {
            String at = error.getInstanceLocation().toString();
            if (isUnevaluated(error)) {
                // A field whose value broke its schema counts as unevaluated in its parent too: that is no news.
                if (errors.stream().noneMatch(other -> !isUnevaluated(other) && other.getInstanceLocation().toString().startsWith(at))) {
                    violations.add(what + ": undocumented field '" + at + "/" + error.getProperty() + "' (add it to "
                            + fragment(error.getSchemaLocation()).replaceFirst("/(unevaluated|additional)Properties$", "") + ")");
                }
            } else {
                violations.add(what + ": " + (at.isEmpty() ? "/" : at) + " " + error.getMessage() + " (schema "
                        + fragment(error.getSchemaLocation()) + ")");
            }
        }
    }

    private static boolean isUnevaluated(Error error) {
        return "unevaluatedProperties".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword());
    }

    private void collectExamples(JsonNode node, String pointer, List<String> violations) {
        if (!node.isObject()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    collectExamples(node.get(i), pointer + "/" + i, violations);
                }
            }
            return;
        }
        if (node.has("schema") && node.has("example")) {
            validate("example at " + pointer.replace("%7B", "{").replace("%7D", "}"), pointer + "/schema", node.get("example"),
                    violations);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals("example") && !field.getKey().equals("examples")) {
                collectExamples(field.getValue(), pointer + "/" + escape(field.getKey()), violations);
            }
        }
    }

    /**
     * The document with every object schema closed: {@code unevaluatedProperties: false} on each schema that names
     * {@code properties} and says nothing of others. A schema that is a part of an {@code allOf} stays open there
     * (its whole closes it); where such a schema is used on its own, the reference to it is closed instead.
     */
    private static JsonNode closed(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        Set<String> parts = new HashSet<>();
        copy.findValues("allOf").forEach(allOf -> allOf.forEach(part -> {
            if (part.has("$ref")) {
                parts.add(part.get("$ref").asText());
            }
        }));
        close(copy, "#", false, parts);
        return copy;
    }

    private static void close(JsonNode node, String pointer, boolean inAllOf, Set<String> parts) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                close(node.get(i), pointer + "/" + i, inAllOf, parts);
            }
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        boolean open = !object.has("unevaluatedProperties") && !object.has("additionalProperties");
        if (open && object.has("properties") && object.path("properties").isObject() && !parts.contains(pointer)) {
            object.set("unevaluatedProperties", BooleanNode.FALSE);
        }
        if (open && !inAllOf && object.has("$ref") && parts.contains(object.get("$ref").asText())) {
            object.set("unevaluatedProperties", BooleanNode.FALSE);
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String key = field.getKey();
            if (!key.equals("example") && !key.equals("examples") && !key.equals("const") && !key.equals("enum")
                    && !key.equals("default")) {
                close(field.getValue(), pointer + "/" + escape(key), key.equals("allOf"), parts);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The document's path template that matches a request path; literal segments win over parameters. */
    private String template(String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (String template : fieldNames(document.path("paths"))) {
            String[] expected = template.split("/", -1);
            if (expected.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < expected.length && matches; i++) {
                if (expected[i].startsWith("{") && expected[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else {
                    matches = expected[i].equals(segments[i]);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return best;
    }

    private JsonNode at(String pointer) {
        if (!pointer.startsWith("#")) {
            throw new IllegalArgumentException("only references within the document are supported: " + pointer);
        }
        return document.at(pointer.substring(1).replace("%7B", "{").replace("%7D", "}"));
    }

    private static String documentedMediaType(JsonNode content, String mediaType) {
        if (content.has(mediaType)) {
            return mediaType;
        }
        String range = mediaType.substring(0, mediaType.indexOf('/') + 1) + "*";
        return content.has(range) ? range : content.has("*/*") ? "*/*" : null;
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A parameter's text as the JSON value its schema expects: a number for a numeric schema, else the text. */
    private static JsonNode typed(String text, JsonNode schema) {
        String type = schema.path("type").asText();
        if ((type.equals("integer") || type.equals("number")) && text.matches("-?\\d{1,18}")) {
            long number = Long.parseLong(text);
            return number == (int) number ? IntNode.valueOf((int) number) : LongNode.valueOf(number);
        }
        return TextNode.valueOf(text);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return TextNode.valueOf(json);
        }
    }

    // JSON pointer (RFC 6901) in a URI fragment: ~ and / escaped, braces percent-encoded.
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    private static String fragment(SchemaLocation location) {
        String text = location.toString();
        int hash = text.indexOf('#');
        return (hash < 0 ? text : text.substring(hash)).replace("%7B", "{").replace("%7D", "}");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((key, value) -> lower.put(key.toLowerCase(Locale.ROOT), value));
        }
        return Map.copyOf(lower);
    }
}
