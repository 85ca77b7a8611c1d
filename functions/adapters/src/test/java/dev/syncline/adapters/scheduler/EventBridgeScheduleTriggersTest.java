package dev.syncline.adapters.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleExpression;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against a small server speaking EventBridge Scheduler's REST-JSON protocol (there is no emulator):
 * the requests the SDK sent are what a real Scheduler would receive.
 */
@AwsIntegrationTest
class EventBridgeScheduleTriggersTest {

    private static final JsonCodec JSON = JsonCodec.create();
    private static final String GROUP = "syncline-test";
    private static final String TARGET = "arn:aws:lambda:eu-central-1:111122223333:function:syncline-reconciler:live";
    private static final String ROLE = "arn:aws:iam::111122223333:role/syncline-scheduler";

    /** One request as the scheduler received it. */
    record Received(String method, String path, String query, JsonNode body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> schedules = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private AwsClientFactory clients;
    private EventBridgeScheduleTriggers triggers;

    @BeforeEach
    void setUp(AwsStack stack) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/schedules/", this::handle);
        server.start();
        clients = EmulatorClients.factory(stack);
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        triggers = new EventBridgeScheduleTriggers(clients.scheduler(endpoint), GROUP, TARGET, ROLE, JSON);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        server.stop(0);
    }

    @Test
    void put_ofANewSchedule_triesAnUpdateThenCreatesIt_firingTheFunctionOnTimeWithTheInstallation() {
        UUID installation = UUID.randomUUID();

        triggers.put(schedule(installation, "cron(0 6 ? * MON-FRI *)", "Europe/Warsaw"));

        assertThat(received).extracting(r -> r.method() + " " + r.path())
                .containsExactly("PUT /schedules/" + installation, "POST /schedules/" + installation);
        JsonNode created = received.get(1).body();
        assertThat(created.path("GroupName").asText()).isEqualTo(GROUP);
        assertThat(created.path("ScheduleExpression").asText()).isEqualTo("cron(0 6 ? * MON-FRI *)");
        assertThat(created.path("ScheduleExpressionTimezone").asText()).isEqualTo("Europe/Warsaw");
        assertThat(created.path("FlexibleTimeWindow").path("Mode").asText()).isEqualTo("OFF");
        assertThat(created.path("State").asText()).isEqualTo("ENABLED");
        assertThat(created.path("Target").path("Arn").asText()).isEqualTo(TARGET);
        assertThat(created.path("Target").path("RoleArn").asText()).isEqualTo(ROLE);
        assertThat(created.path("Target").path("RetryPolicy").path("MaximumRetryAttempts").asInt(-1)).isZero();
        JsonNode input = JSON.readTree(created.path("Target").path("Input").asText());
        assertThat(input.path("source").asText()).isEqualTo(EventBridgeScheduleTriggers.SOURCE);
        assertThat(input.path("detail").path("installation_id").asText()).isEqualTo(installation.toString());
        assertThat(input.path("detail").path("scheduled_time").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
    }

    @Test
    void put_ofAnExistingSchedule_updatesItInPlace() {
        UUID installation = UUID.randomUUID();
        triggers.put(schedule(installation, "rate(5 minutes)", "UTC"));
        received.clear();

        triggers.put(schedule(installation, "rate(1 hour)", "UTC"));

        assertThat(received).hasSize(1);
        assertThat(received.get(0).method()).isEqualTo("PUT");
        assertThat(received.get(0).body().path("ScheduleExpression").asText()).isEqualTo("rate(1 hour)");
        assertThat(received.get(0).body().path("FlexibleTimeWindow").path("Mode").asText()).isEqualTo("OFF");
    }

    @Test
    void delete_removesTheScheduleFromItsGroup_andIsHarmlessWhenItIsGone() {
        UUID installation = UUID.randomUUID();
        triggers.put(schedule(installation, "rate(5 minutes)", "UTC"));
        received.clear();

        triggers.delete(installation);
        triggers.delete(installation);

        assertThat(received).extracting(Received::method).containsExactly("DELETE", "DELETE");
        assertThat(received.get(0).path()).isEqualTo("/schedules/" + installation);
        assertThat(received.get(0).query()).contains("groupName=" + GROUP);
        assertThat(schedules).isEmpty();
    }

    private static Schedule schedule(UUID installation, String expression, String zone) {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        return new Schedule(installation, ScheduleExpression.parse(expression), ZoneId.of(zone), SyncMode.INCREMENTAL, null, now, now, null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String name = path.substring("/schedules/".length());
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                body.isEmpty() ? JSON.readTree("{}") : JSON.readTree(body)));
        switch (exchange.getRequestMethod()) {
            case "POST" -> {
                schedules.add(name);
                answer(exchange, 200, "{\"ScheduleArn\":\"arn:aws:scheduler:eu-central-1:111122223333:schedule/" + GROUP + "/" + name + "\"}");
            }
            case "PUT" -> {
                if (schedules.contains(name)) {
                    answer(exchange, 200, "{\"ScheduleArn\":\"arn:aws:scheduler:eu-central-1:111122223333:schedule/" + GROUP + "/" + name + "\"}");
                } else {
                    notFound(exchange, name);
                }
            }
            case "DELETE" -> {
                if (schedules.remove(name)) {
                    answer(exchange, 200, "{}");
                } else {
                    notFound(exchange, name);
                }
            }
            default -> answer(exchange, 405, "{}");
        }
    }

    private static void notFound(HttpExchange exchange, String name) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "ResourceNotFoundException");
        answer(exchange, 404, "{\"Message\":\"Schedule " + name + " does not exist.\"}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
