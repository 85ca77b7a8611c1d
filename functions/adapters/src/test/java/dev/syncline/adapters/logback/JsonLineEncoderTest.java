package dev.syncline.adapters.logback;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.FunctionLogging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an operator reads: each line one JSON object with the invocation's ids and the line's own fields. */
class JsonLineEncoderTest {

    private static final Logger LOG = FunctionLogging.logger(JsonLineEncoderTest.class);
    private final JsonCodec json = JsonCodec.create();

    @Test
    void keyValuePairs_becomeTypedFields_andTheRestStaysTheMessage() {
        UUID run = UUID.randomUUID();

        List<JsonNode> lines = logged(() -> LOG.warn("event=chunk_given_up run_id={} chunk={} reason={} after retries phase=core",
                run, 3, "no answer within 10000 ms"));

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("logger").asText()).isEqualTo(JsonLineEncoderTest.class.getName());
            assertThat(line.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
            assertThat(line.path("event").asText()).isEqualTo("chunk_given_up");
            assertThat(line.path("run_id").asText()).isEqualTo(run.toString());
            assertThat(line.path("chunk").isInt()).isTrue();
            assertThat(line.path("chunk").asInt()).isEqualTo(3);
            assertThat(line.path("reason").asText()).isEqualTo("no answer within 10000 ms");
            assertThat(line.path("phase").asText()).isEqualTo("core");
            assertThat(line.path("message").asText()).isEqualTo("after retries");
        });
    }

    @Test
    @SuppressWarnings("try")
    void everyLineOfAnInvocation_carriesItsRequestId_andEachMessagesLinesItsIds() {
        UUID run = UUID.randomUUID();
        UUID installation = UUID.randomUUID();

        List<JsonNode> lines = logged(() -> {
            try (FunctionLogging.Ids invocation = FunctionLogging.invocation(context("8f4e-request"))) {
                FunctionLogging.message("sqs-1");
                FunctionLogging.run(run, installation, "relations", 7);
                LOG.info("event=inside");
                FunctionLogging.message("sqs-2");
                LOG.error("event=chunk_failed error={}", "malformed body");
            }
            LOG.info("event=after_the_invocation");
        });

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("aws_request_id").asText()).isEqualTo("8f4e-request");
        assertThat(lines.get(0).path("sqs_message_id").asText()).isEqualTo("sqs-1");
        assertThat(lines.get(0).path("run_id").asText()).isEqualTo(run.toString());
        assertThat(lines.get(0).path("installation_id").asText()).isEqualTo(installation.toString());
        assertThat(lines.get(0).path("phase").asText()).isEqualTo("relations");
        assertThat(lines.get(0).path("chunk").isInt()).as("a number, as in the lines that write it").isTrue();
        assertThat(lines.get(0).path("chunk").asInt()).isEqualTo(7);
        assertThat(lines.get(1).path("aws_request_id").asText()).isEqualTo("8f4e-request");
        assertThat(lines.get(1).path("sqs_message_id").asText()).isEqualTo("sqs-2");
        assertThat(lines.get(1).has("run_id")).as("the message before's run").isFalse();
        assertThat(lines.get(1).has("chunk")).isFalse();
        assertThat(lines.get(2).has("aws_request_id")).isFalse();
        assertThat(lines.get(2).has("sqs_message_id")).isFalse();
    }

    @Test
    void fluentKeyValues_areFieldsToo_andAnExceptionIsOneField() {
        IllegalStateException bug = new IllegalStateException("the table is gone");

        List<JsonNode> lines = logged(() -> LOG.atError().setCause(bug).addKeyValue("event", "plan_failed")
                .addKeyValue("entries", 12L).log());

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.path("event").asText()).isEqualTo("plan_failed");
            assertThat(line.path("entries").asLong()).isEqualTo(12L);
            assertThat(line.path("stack_trace").asText()).startsWith("java.lang.IllegalStateException: the table is gone")
                    .contains("at dev.syncline.adapters.logback.JsonLineEncoderTest");
            assertThat(line.has("message")).isFalse();
        });
    }

    @Test
    void otherLibrariesLines_keepTheirMessageAsItIs() {
        Logger library = LoggerFactory.getLogger("org.example.Server");

        List<JsonNode> lines = logged(() -> library.info("Started server state=STARTED on port {}", 8080));

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.path("message").asText()).isEqualTo("Started server state=STARTED on port 8080");
            assertThat(line.has("state")).isFalse();
        });
    }

    @Test
    void aValueWithQuotesAndNewlines_staysOneValidLine() {
        List<JsonNode> lines = logged(() -> LOG.warn("event=scheduled_run outcome=\"{}\"", "failed: \"x\"\nnext line"));

        assertThat(lines).singleElement().satisfies(line ->
                assertThat(line.path("outcome").asText()).isEqualTo("failed: \"x\"\nnext line"));
    }

    /** The JSON lines written to standard output while {@code logging} runs; fails on a line that is not JSON. */
    private List<JsonNode> logged(Runnable logging) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().map(json::readTree).toList();
    }

    private static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? requestId : null);
    }
}
